//! Random identifiers and secrets, and how they are kept: high-entropy tokens and access codes as
//! SHA-256 (a slow hash adds nothing against 60+ random bits), passwords with argon2id.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use rand::Rng;
use sha2::{Digest, Sha256};

/// Crockford's base32 alphabet: no I, L, O or U, so codes survive being read aloud or retyped.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn random_code(len: usize) -> String {
    code_from(&mut rand::rng(), len)
}

fn code_from(rng: &mut impl Rng, len: usize) -> String {
    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// A case id: 10 base32 characters (50 bits).
pub fn new_case_id() -> String {
    random_code(10)
}

/// A case id drawn from `rng` (a seeded generator: the simulator's ids repeat run after run).
pub fn case_id_from(rng: &mut impl Rng) -> String {
    code_from(rng, 10)
}

/// An applicant's access code: 12 base32 characters (60 bits), shown as `XXXX-XXXX-XXXX`.
pub fn new_access_code() -> String {
    let c = random_code(12);
    format!("{}-{}-{}", &c[0..4], &c[4..8], &c[8..12])
}

/// A bearer or session token: 32 random bytes in hex.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex(&bytes)
}

/// Normalises an access code as typed (case, dashes, spaces, O for 0 …) before hashing.
pub fn normalise_access_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// SHA-256 in hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

pub fn hash_access_code(code: &str) -> String {
    sha256_hex(normalise_access_code(code).as_bytes())
}

/// Masks a short secret (at most 32 bytes) with a pad derived from `key`: the same call with the
/// same key unmasks it. Kept at rest, the result says nothing without the key.
pub fn mask(secret: &[u8], key: &[u8]) -> Vec<u8> {
    let pad = Sha256::new().chain_update(b"greenlane mask v1\0").chain_update(key).finalize();
    assert!(secret.len() <= pad.len(), "mask holds at most 32 bytes");
    secret.iter().zip(pad.iter()).map(|(s, p)| s ^ p).collect()
}

/// Bytes back from [`hex`].
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// Hashes a password with argon2id and a random salt (CPU-heavy: call off the async runtime).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// Whether `password` matches a stored argon2 hash (CPU-heavy: call off the async runtime).
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// Lowercase hex, as SHA-256 sums are shown.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_access_code_typed_in_lower_case_with_o_for_zero_still_matches() {
        let code = "AB0C-DEF1-2345";
        assert_eq!(hash_access_code(code), hash_access_code("abOc def1 2345"));
    }

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let h = hash_password("correct horse").unwrap();
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
    }
}
