//! The line markup that document templates produce: one block per line, a directive in front.
//!
//! `@title 仲裁裁决书`, `@center …`, `@right …`, `@date 二〇二六年…` (4 characters in from the right),
//! `@heading 一、…` (黑体), `@kai （一）…` (楷体), `@plain …` (no indent), `@left …` (flush left, as
//! the copy mark), `@seal` (the seal over the next right-aligned line), `@blank`, `@page`;
//! any other line is a body paragraph indented two characters. Empty lines are ignored, so
//! template whitespace never shows on the page.

use super::layout::{Block, Face};

/// A line the markup does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第{line}行：未知的排版指令“{directive}”")]
pub struct MarkupError {
    pub line: usize,
    pub directive: String,
}

/// Parses a template's output into blocks.
pub fn parse(text: &str) -> Result<Vec<Block>, MarkupError> {
    let mut blocks = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let Some(rest) = line.strip_prefix('@') else {
            blocks.push(Block::Paragraph { face: Face::Body, text: line.to_string(), indent: 2 });
            continue;
        };
        let (directive, body) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let body = body.trim().to_string();
        blocks.push(match directive {
            "title" => Block::Title(body),
            "center" => Block::Center(body),
            "right" => Block::Right { text: body, indent: 0 },
            "date" => Block::Right { text: body, indent: 4 },
            "heading" => Block::Paragraph { face: Face::Heading, text: body, indent: 2 },
            "kai" => Block::Paragraph { face: Face::Kai, text: body, indent: 2 },
            "plain" => Block::Paragraph { face: Face::Body, text: body, indent: 0 },
            "left" => Block::Left(body),
            "seal" => Block::Seal,
            "blank" => Block::Blank,
            "page" => Block::PageBreak,
            other => return Err(MarkupError { line: n + 1, directive: format!("@{other}") }),
        });
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_become_blocks_and_plain_lines_indented_paragraphs() {
        let blocks =
            parse("@title 仲裁裁决书\n\n  @right 中劳人仲案字〔2026〕第1号\n申请人：张三\n@date 二〇二六年十一月二十二日\n").unwrap();
        assert_eq!(blocks[0], Block::Title("仲裁裁决书".into()));
        assert_eq!(blocks[1], Block::Right { text: "中劳人仲案字〔2026〕第1号".into(), indent: 0 });
        assert_eq!(blocks[2], Block::Paragraph { face: Face::Body, text: "申请人：张三".into(), indent: 2 });
        assert_eq!(blocks[3], Block::Right { text: "二〇二六年十一月二十二日".into(), indent: 4 });
    }

    #[test]
    fn an_unknown_directive_names_its_line() {
        let e = parse("@title 裁决书\n@bold 错").unwrap_err();
        assert_eq!((e.line, e.directive.as_str()), (2, "@bold"));
    }
}
