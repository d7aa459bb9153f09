//! The line markup that document templates produce: one block per line, a directive in front.
//!
//! `@title 仲裁裁决书`, `@center …`, `@right …`, `@date 二〇二六年…` (4 characters in from the right),
//! `@heading 一、…` (黑体), `@kai （一）…` (楷体), `@plain …` (no indent), `@left …` (flush left, as
//! the copy mark), `@seal` (the seal over the next right-aligned line), `@table 6|11|11` (a ruled
//! table, column widths in characters) followed by its `@row 甲|乙|丙` lines, `@blank`, `@page`;
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
            "table" => {
                let widths: Option<Vec<u32>> = body.split('|').map(|w| w.trim().parse().ok().filter(|w| *w > 0)).collect();
                match widths {
                    Some(widths) if !widths.is_empty() && widths.iter().sum::<u32>() <= 28 => Block::Table { widths, rows: Vec::new() },
                    _ => return Err(MarkupError { line: n + 1, directive: format!("@table {body}") }),
                }
            }
            "row" => {
                let Some(Block::Table { rows, .. }) = blocks.last_mut() else {
                    return Err(MarkupError { line: n + 1, directive: "@row".into() });
                };
                rows.push(body.split('|').map(|c| c.trim().to_string()).collect());
                continue;
            }
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
    fn a_table_takes_the_rows_after_it_and_a_row_without_one_is_refused() {
        let blocks = parse("@table 6|22\n@row 要素|内容\n@row 入职时间|2023年5月8日\n正文").unwrap();
        let Block::Table { widths, rows } = &blocks[0] else { panic!("{blocks:?}") };
        assert_eq!((widths.as_slice(), rows.len()), ([6, 22].as_slice(), 2));
        assert_eq!(rows[1], ["入职时间", "2023年5月8日"]);
        assert_eq!(parse("@row 甲|乙").unwrap_err().line, 1);
        assert_eq!(parse("@table 20|20").unwrap_err().directive, "@table 20|20", "wider than the line");
    }

    #[test]
    fn an_unknown_directive_names_its_line() {
        let e = parse("@title 裁决书\n@bold 错").unwrap_err();
        assert_eq!((e.line, e.directive.as_str()), (2, "@bold"));
    }
}
