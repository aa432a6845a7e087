//! The parts of a Chinese official document (公文, GB/T 9704-2012) around its title and
//! text, from the content's `gongwen` map: the 版头 above the title (份号, 密级和保密期限,
//! 紧急程度, 发文机关标志, 发文字号, 签发人), the 主送机关 before the text, the 附件说明,
//! 署名 rules and 附注 after it, and the 版记 at the end (抄送机关, 印发机关, 印发日期).
//!
//! Each text is a [`Run`]: literal, and remembering where it was written. What paiban adds
//! to them (the zero-padded 份号, the parentheses of the 附注, the punctuation of the 抄送
//! list, the words 印发 and 文件) is made here, once, for the PDF and the EPUB alike.

use super::inline::Run;
use super::locale::Locale;
use super::{Date, Document};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Gongwen {
    /// 份号: the copy's number, printed as six digits (000123).
    pub copy_number: Option<u32>,
    /// 密级和保密期限: 绝密, 机密 or 秘密, with ★ and a period if any (机密★1年).
    pub secrecy: Option<Run>,
    /// 紧急程度: 特急 or 加急 (特提 and 平急 for telegrams).
    pub urgency: Option<Run>,
    /// 发文机关标志; without it, the first author's name and 文件.
    pub mark: Option<Run>,
    /// 发文字号: 国办发〔2012〕10号.
    pub number: Option<Run>,
    /// 签发人: a 上行文 names them, and sets its 发文字号 on their line.
    pub signers: Vec<Run>,
    /// 主送机关, printed as written (with its closing colon).
    pub addressee: Option<Run>,
    /// 附件说明: the names of the attachments, in order.
    pub attachments: Vec<Run>,
    /// Whether the document is sealed (印章): the signature leaves room for the seal.
    pub sealed: bool,
    /// 附注, printed in parentheses.
    pub note: Option<Run>,
    /// 抄送机关, joined with ，and closed with 。.
    pub copies_to: Vec<Run>,
    /// 印发机关.
    pub printed_by: Option<Run>,
    /// 印发日期.
    pub printed_on: Option<Date>,
}

/// The words a 公文 prints around its parts, in the document's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// After the issuer's name in a default 发文机关标志: 文件.
    pub mark_suffix: &'static str,
    /// Before the attachments' names: 附件：
    pub attachments: &'static str,
    /// Before the 签发人's names: 签发人：
    pub signers: &'static str,
    /// Before the 抄送机关: 抄送：
    pub copies_to: &'static str,
    /// After the 印发日期: 印发.
    pub printed: &'static str,
}

impl Locale {
    /// A 公文's words. They are Chinese whatever the language: other languages take the
    /// Simplified forms.
    pub fn gongwen_words(self) -> Words {
        match self {
            Locale::Hant => Words {
                mark_suffix: "文件",
                attachments: "附件：",
                signers: "簽發人：",
                copies_to: "抄送：",
                printed: "印發",
            },
            _ => Words {
                mark_suffix: "文件",
                attachments: "附件：",
                signers: "签发人：",
                copies_to: "抄送：",
                printed: "印发",
            },
        }
    }
}

impl Gongwen {
    /// Whether the document has a 版头: any of its parts is given.
    pub fn has_head(&self) -> bool {
        self.copy_number.is_some()
            || self.secrecy.is_some()
            || self.urgency.is_some()
            || self.mark.is_some()
            || self.number.is_some()
            || !self.signers.is_empty()
    }

    /// Whether the document has a 版记.
    pub fn has_banji(&self) -> bool {
        !self.copies_to.is_empty() || self.printed_by.is_some() || self.printed_on.is_some()
    }

    /// The 发文机关标志 the 版头 prints: the content's, else the first author's name and
    /// 文件; none without a 版头 (or without either).
    pub fn mark_text(&self, document: &Document) -> Option<String> {
        if !self.has_head() {
            return None;
        }
        match (&self.mark, document.authors.first()) {
            (Some(mark), _) => Some(mark.text.clone()),
            (None, Some(author)) => Some(format!(
                "{author}{}",
                Locale::of(&document.lang).gongwen_words().mark_suffix
            )),
            (None, None) => None,
        }
    }

    /// The 份号 as printed: six digits (GB/T 9704 §7.2.1).
    pub fn copy_number_text(&self) -> Option<String> {
        self.copy_number.map(|n| format!("{n:06}"))
    }

    /// The 附注 as printed: in full-width parentheses, unless the content wrote them.
    pub fn note_text(&self) -> Option<String> {
        self.note.as_ref().map(|note| {
            let text = note.text.trim();
            if text.starts_with('（') && text.ends_with('）') {
                text.to_owned()
            } else {
                format!("（{text}）")
            }
        })
    }

    /// The 抄送机关 as printed after 抄送：: the organs joined with ，and closed with 。,
    /// where the content does not already end them with a mark of its own.
    pub fn copies_to_text(&self) -> Option<String> {
        let (last, rest) = self.copies_to.split_last()?;
        let mut out = String::new();
        for organ in rest {
            let organ = organ.text.trim();
            out.push_str(organ);
            if !organ.ends_with(['，', '、', '；']) {
                out.push('，');
            }
        }
        let last = last.text.trim();
        out.push_str(last);
        if !last.ends_with('。') {
            out.push('。');
        }
        Some(out)
    }

    /// The 印发日期 as printed: 2012年7月1日印发.
    pub fn printed_on_text(&self, locale: Locale) -> Option<String> {
        self.printed_on.map(|date| {
            format!(
                "{}{}",
                locale.date(date, true),
                locale.gongwen_words().printed
            )
        })
    }

    /// The 版头's texts, in reading order.
    pub fn head_runs(&self) -> Vec<&Run> {
        let mut out: Vec<&Run> = Vec::new();
        out.extend(&self.secrecy);
        out.extend(&self.urgency);
        out.extend(&self.mark);
        out.extend(&self.number);
        out.extend(&self.signers);
        out
    }

    /// The texts after the body: 附件说明, 附注, 版记.
    pub fn tail_runs(&self) -> Vec<&Run> {
        let mut out: Vec<&Run> = Vec::new();
        out.extend(&self.attachments);
        out.extend(&self.note);
        out.extend(&self.copies_to);
        out.extend(&self.printed_by);
        out
    }

    /// Every text, mutably.
    pub fn runs_mut(&mut self) -> Vec<&mut Run> {
        let mut out: Vec<&mut Run> = Vec::new();
        out.extend(&mut self.secrecy);
        out.extend(&mut self.urgency);
        out.extend(&mut self.mark);
        out.extend(&mut self.number);
        out.extend(&mut self.signers);
        out.extend(&mut self.addressee);
        out.extend(&mut self.attachments);
        out.extend(&mut self.note);
        out.extend(&mut self.copies_to);
        out.extend(&mut self.printed_by);
        out
    }
}

/// What is wrong with a 发文字号's form (GB/T 9704 §7.2.5: 机关代字, the year in 六角括号
/// 〔〕, the serial number without leading zeros and without 第, then 号): each finding's
/// character index, message and the number as it should be written.
pub fn number_findings(number: &str) -> Vec<(usize, String, String)> {
    let chars: Vec<char> = number.chars().collect();
    let mut out = Vec::new();
    // The year: four digits between brackets.
    let year = (0..chars.len().saturating_sub(5)).find(|&i| {
        chars[i + 1..i + 5].iter().all(char::is_ascii_digit)
            && "〔[［(（【〈<{".contains(chars[i])
            && "〕]］)）】〉>}".contains(chars[i + 5])
    });
    let mut fixed = chars.clone();
    match year {
        Some(open) if chars[open] != '〔' || chars[open + 5] != '〕' => {
            fixed[open] = '〔';
            fixed[open + 5] = '〕';
            out.push((
                open,
                format!(
                    "the year of a 发文字号 is bracketed with 六角括号 〔〕, not {}{}",
                    chars[open],
                    chars[open + 5]
                ),
                String::new(),
            ));
        }
        None => out.push((
            0,
            "a 发文字号 gives the year as four digits in 六角括号: 国办发〔2012〕10号".to_owned(),
            String::new(),
        )),
        _ => {}
    }
    if let Some(close) = year.map(|open| open + 5) {
        let mut serial = close + 1;
        if chars.get(serial) == Some(&'第') {
            out.push((
                serial,
                "a 发文字号's serial number has no 第".to_owned(),
                String::new(),
            ));
            fixed.remove(serial);
            serial += 1;
        }
        let digits = chars[serial.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits > 1 && chars[serial] == '0' {
            out.push((
                serial,
                "a 发文字号's serial number has no leading zeros".to_owned(),
                String::new(),
            ));
            let at = fixed.len() - (chars.len() - serial);
            while fixed.len() > at + 1 && fixed[at] == '0' && fixed[at + 1].is_ascii_digit() {
                fixed.remove(at);
            }
        }
    }
    let fixed: String = fixed.into_iter().collect();
    for finding in &mut out {
        if fixed != number {
            finding.2 = fixed.clone();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn run(text: &str) -> Run {
        Run::new(text, Origin::default())
    }

    #[test]
    fn printed_forms() {
        let gongwen = Gongwen {
            copy_number: Some(12),
            note: Some(run("此件公开发布")),
            copies_to: vec![run("市委办公厅"), run("市政府办公厅")],
            printed_on: Date::new(2012, 7, 1),
            ..Default::default()
        };
        assert_eq!(gongwen.copy_number_text().unwrap(), "000012");
        assert_eq!(gongwen.note_text().unwrap(), "（此件公开发布）");
        assert_eq!(
            gongwen.copies_to_text().unwrap(),
            "市委办公厅，市政府办公厅。"
        );
        assert_eq!(
            gongwen.printed_on_text(Locale::Hans).unwrap(),
            "2012年7月1日印发"
        );
        let written = Gongwen {
            note: Some(run("（此件公开发布）")),
            copies_to: vec![run("市委办公厅、市政府办公厅。")],
            ..Default::default()
        };
        assert_eq!(written.note_text().unwrap(), "（此件公开发布）");
        assert_eq!(
            written.copies_to_text().unwrap(),
            "市委办公厅、市政府办公厅。"
        );
    }

    #[test]
    fn document_numbers_are_checked_for_their_form() {
        assert!(number_findings("国办发〔2012〕10号").is_empty());
        let findings = number_findings("国办发[2012]10号");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].0, 3);
        assert_eq!(findings[0].2, "国办发〔2012〕10号");
        let findings = number_findings("国办发（2012）第010号");
        assert_eq!(findings.len(), 3, "{findings:?}");
        assert_eq!(findings[0].2, "国办发〔2012〕10号");
        assert_eq!(findings[1].0, 9);
        assert_eq!(findings[2].0, 10);
        assert_eq!(number_findings("国办发2012年10号").len(), 1);
        assert!(number_findings("国办发〔2012〕0号").is_empty());
    }
}
