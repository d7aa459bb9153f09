//! What an uploaded file is, read from its first bytes (never from its name or the type the client
//! claims): PDF, JPEG or PNG, the kinds scans, photos and evidence come in.

/// The file's MIME type and extension, or `None` for any other kind.
pub fn kind_of(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_is_known_by_its_content_not_its_name() {
        assert_eq!(super::kind_of(b"%PDF-1.7 ..."), Some(("application/pdf", "pdf")));
        assert_eq!(super::kind_of(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(("image/jpeg", "jpg")));
        assert_eq!(super::kind_of(b"MZ\x90\x00 an executable named photo.jpg"), None);
    }
}
