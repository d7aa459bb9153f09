//! The wording of each document kind: minijinja templates under `templates/documents/`, read at
//! start so that a commission can change wording without recompiling. The copies built into the
//! binary stand in for a file that is not there. A placeholder a template names but the data
//! lacks is an error, found when the service starts (each template is tried on sample data).

use std::path::Path;

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use super::kinds::{self, Kind};

/// The built-in wording.
const BUILT_IN: [(&str, &str); 16] = [
    ("parties.txt", include_str!("../../templates/documents/parties.txt")),
    ("signature.txt", include_str!("../../templates/documents/signature.txt")),
    ("award.txt", include_str!("../../templates/documents/award.txt")),
    ("mediation.txt", include_str!("../../templates/documents/mediation.txt")),
    ("acceptance_notice.txt", include_str!("../../templates/documents/acceptance_notice.txt")),
    ("rejection_notice.txt", include_str!("../../templates/documents/rejection_notice.txt")),
    ("hearing_notice.txt", include_str!("../../templates/documents/hearing_notice.txt")),
    ("respondent_notice.txt", include_str!("../../templates/documents/respondent_notice.txt")),
    ("tribunal_notice.txt", include_str!("../../templates/documents/tribunal_notice.txt")),
    ("extension_notice.txt", include_str!("../../templates/documents/extension_notice.txt")),
    ("suspension_notice.txt", include_str!("../../templates/documents/suspension_notice.txt")),
    ("service_receipt.txt", include_str!("../../templates/documents/service_receipt.txt")),
    ("address_confirmation.txt", include_str!("../../templates/documents/address_confirmation.txt")),
    ("defence_copy.txt", include_str!("../../templates/documents/defence_copy.txt")),
    ("application.txt", include_str!("../../templates/documents/application.txt")),
    ("hearing_record.txt", include_str!("../../templates/documents/hearing_record.txt")),
];

/// A template that cannot be read, compiled or filled.
#[derive(Debug, Clone, thiserror::Error)]
#[error("文书模板 {file}：{message}")]
pub struct TemplateError {
    pub file: String,
    pub message: String,
}

impl TemplateError {
    fn from_jinja(file: &str, e: &minijinja::Error) -> Self {
        let line = e.line().map(|l| format!("第{l}行：")).unwrap_or_default();
        let what = match e.kind() {
            minijinja::ErrorKind::UndefinedError => "使用了数据中没有的占位符".to_string(),
            _ => e.detail().unwrap_or("无法解析").to_string(),
        };
        TemplateError { file: file.into(), message: format!("{line}{what}（{e}）") }
    }
}

/// The templates of every kind, compiled.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Reads the templates from `dir` (any file missing there comes from the binary), compiles
    /// them, and fills each with sample data to find unknown placeholders before anyone issues.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter("cn_index", cn_index);
        env.add_filter("cell", cell);
        for (name, built_in) in BUILT_IN {
            let source = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(p) => std::fs::read_to_string(&p).map_err(|e| TemplateError { file: name.into(), message: e.to_string() })?,
                None => built_in.to_string(),
            };
            env.add_template_owned(name, source).map_err(|e| TemplateError::from_jinja(name, &e))?;
        }
        let t = Templates { env };
        for (kind, sample) in samples::all() {
            t.fill(kind, &sample)?;
        }
        for (paper, sample) in samples::papers() {
            t.fill_paper(paper, &sample)?;
        }
        Ok(t)
    }

    /// The kind's wording for this data, as layout markup.
    pub fn fill(&self, kind: Kind, data: &impl Serialize) -> Result<String, TemplateError> {
        let name = kind.template();
        let t = self.env.get_template(name).map_err(|e| TemplateError::from_jinja(name, &e))?;
        t.render(minijinja::value::Serde(data)).map_err(|e| TemplateError::from_jinja(name, &e))
    }
}

impl Templates {
    /// The wording of a paper of the service ledger (not an issued document) for this data.
    pub fn fill_paper(&self, paper: Paper, data: &impl Serialize) -> Result<String, TemplateError> {
        let name = paper.template();
        let t = self.env.get_template(name).map_err(|e| TemplateError::from_jinja(name, &e))?;
        t.render(minijinja::value::Serde(data)).map_err(|e| TemplateError::from_jinja(name, &e))
    }
}

/// Papers typeset from the service ledger on demand, never stored as issued documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 送达回证: the proof of one delivered service.
    ServiceReceipt,
    /// 送达地址确认书: a party's service address and consents.
    AddressConfirmation,
    /// 仲裁申请书: the application as registered, for the case file.
    Application,
    /// 庭审笔录: the tribunal's record of a hearing held, for the case file.
    HearingRecord,
}

impl Paper {
    pub fn title(self) -> &'static str {
        match self {
            Paper::ServiceReceipt => "送达回证",
            Paper::AddressConfirmation => "送达地址确认书",
            Paper::Application => "仲裁申请书",
            Paper::HearingRecord => "庭审笔录",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Paper::ServiceReceipt => "service_receipt.txt",
            Paper::AddressConfirmation => "address_confirmation.txt",
            Paper::Application => "application.txt",
            Paper::HearingRecord => "hearing_record.txt",
        }
    }
}

/// Text for a table cell: its own column separator and line breaks would break the row.
fn cell(text: String) -> String {
    text.replace('|', "｜").replace(['\n', '\r'], " ")
}

/// 1 → 一, 12 → 十二: the numbering of result items.
fn cn_index(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "〇".into(),
        1..=9 => D[n as usize].into(),
        10..=19 => format!("十{}", D[(n % 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

/// Sample data of each kind: for trying the templates at start, the tests and the benchmark.
pub mod samples {
    use super::kinds::*;
    use crate::law::money::Amount;

    pub fn head(title: &str) -> Head {
        Head {
            commission: "中山市劳动人事争议仲裁委员会".into(),
            title: title.into(),
            number: "中劳人仲案字〔2026〕第128号".into(),
            date: "2026年10月16日".into(),
            applicants: vec![Person {
                name: "陈晓燕".into(),
                sex: "女".into(),
                born: "1992年3月14日".into(),
                id_number: "440102199203140028".into(),
                address: "广东省中山市石岐区民族东路18号1204室".into(),
            }],
            respondents: vec![Employer {
                name: "中山市东凤镇恒达五金制品有限公司".into(),
                credit_code: Some("91442000MA4UJ7XK3B".into()),
                address: "广东省中山市东凤镇和穗工业园东路3号".into(),
                legal_representative: Some("梁志强".into()),
            }],
        }
    }

    fn claims() -> Vec<ClaimLine> {
        vec![
            ClaimLine { text: "被申请人支付申请人2026年7月至8月工资".into(), amount: Some(Amount::from_yuan(8600).into()) },
            ClaimLine {
                text: "被申请人支付申请人解除劳动合同经济补偿金".into(), amount: Some(Amount::from_yuan(12900).into())
            },
        ]
    }

    fn tribunal() -> Vec<Member> {
        Member::panel(vec!["王立明".into()])
    }

    fn signature() -> Signature {
        Signature { tribunal: tribunal(), date: "二〇二六年十月十六日".into(), clerk: "李书雅".into() }
    }

    /// A three-page award.
    pub fn award() -> Award {
        let para = "申请人于2023年5月8日入职被申请人处，从事五金冲压操作工工作，双方签订了期限自2023年5月8日至2026年5月7日止的书面劳动合同，约定申请人月工资为4300元，被申请人每月15日以银行转账方式发放上月工资。被申请人自2026年7月起未向申请人发放工资。2026年9月1日，申请人以被申请人未及时足额支付劳动报酬为由，向被申请人邮寄送达《解除劳动合同通知书》，被申请人于2026年9月2日签收。";
        let reason = "劳动者的合法权益受法律保护。用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。本案中，申请人提交的银行流水显示被申请人自2026年7月起未发放工资，被申请人经合法传唤未到庭，亦未提交证据证明已足额支付上述期间工资，应承担举证不能的不利后果。根据《中华人民共和国劳动合同法》第三十条第一款、第三十八条第一款第（二）项、第四十六条、第四十七条的规定，被申请人应支付申请人工资及解除劳动合同经济补偿。";
        Award {
            head: head("仲裁裁决书"),
            accepted_on: "2026年9月14日".into(),
            procedure: "简易处理程序".into(),
            tribunal: tribunal(),
            hearing_dates: vec!["2026年10月9日".into()],
            respondent_absent: true,
            claims: claims(),
            defence: None,
            findings: format!("{para}\n{para}"),
            reasoning: format!(
                "{reason}\n关于解除劳动合同经济补偿。被申请人未及时足额支付劳动报酬，申请人据此解除劳动合同，符合《中华人民共和国劳动合同法》第三十八条第一款第（二）项规定的情形，被申请人应支付经济补偿。"
            ),
            items: vec![
                ResultItem::new(
                    "被申请人中山市东凤镇恒达五金制品有限公司于本裁决生效之日起五日内支付申请人陈晓燕2026年7月至8月工资8600元".into(),
                    Amount::from_yuan(8600),
                ),
                ResultItem::new(
                    "被申请人中山市东凤镇恒达五金制品有限公司于本裁决生效之日起五日内支付申请人陈晓燕解除劳动合同经济补偿金".into(),
                    Amount::from_yuan(12900),
                ),
            ],
            dismiss_other_claims: true,
            is_final: true,
            sibling: None,
            court: "中山市中级人民法院".into(),
            signature: signature(),
            elements: Vec::new(),
        }
    }

    /// Sample data of the service papers.
    pub fn papers() -> Vec<(super::Paper, serde_json::Value)> {
        let receipt = serde_json::json!({
            "commission": "中山市劳动人事争议仲裁委员会", "case_no": "中劳人仲案字〔2026〕第128号",
            "document_title": "开庭通知书", "document_number": "中劳人仲案字〔2026〕第128号", "recipient": "陈晓燕",
            "role": "申请人", "method": "邮寄送达", "address": "广东省中山市石岐区民族东路18号1204室",
            "served_on": "2026年10月9日", "served_at": "", "evidence": "EMS 回执，本人签收",
            "steps": ["2026年10月8日 交邮，邮件号 EA123456789CN"], "server": "clerk1", "date": "2026年10月9日"
        });
        let confirmation = serde_json::json!({
            "commission": "中山市劳动人事争议仲裁委员会", "case_no": "中劳人仲案字〔2026〕第128号", "name": "陈晓燕",
            "role": "申请人", "address": "广东省中山市石岐区民族东路18号1204室", "phone": "13800138000",
            "email": "chenxy@example.cn", "platform": "同意", "email_service": "同意", "sms_notice": "同意",
            "electronic_awards": "不同意", "source": "申请时填写", "recorded": "2026年9月10日", "date": "2026年9月10日"
        });
        let application = serde_json::json!({
            "head": head("仲裁申请书"), "claims": claims(), "filed_on": "2026年9月10日",
            "facts": ["申请人于2023年5月8日入职被申请人处。", "被申请人自2026年7月起未发放工资。"]
        });
        let record = serde_json::json!({
            "commission": "中山市劳动人事争议仲裁委员会", "case_no": "中劳人仲案字〔2026〕第128号", "held_on": "2026年10月9日",
            "start": "上午9时", "place": "中山市东区中山五路（演示地址）第一审理庭", "tribunal": "仲裁员王立明（独任）",
            "applicant": "陈晓燕到庭", "respondent": "中山市东凤镇恒达五金制品有限公司经合法传唤未到庭",
            "record": ["仲裁员宣布开庭，核对当事人身份。", "申请人陈述仲裁请求及事实理由。"]
        });
        vec![
            (super::Paper::ServiceReceipt, receipt),
            (super::Paper::AddressConfirmation, confirmation),
            (super::Paper::Application, application),
            (super::Paper::HearingRecord, record),
        ]
    }

    pub fn all() -> Vec<(Kind, serde_json::Value)> {
        fn v(x: &impl serde::Serialize) -> serde_json::Value {
            serde_json::to_value(x).expect("sample data serialises")
        }
        let mut elements = award();
        elements.findings = String::new();
        elements.elements = vec![
            Element {
                name: "入职时间".into(),
                applicant: "2023年5月8日".into(),
                respondent: "无异议".into(),
                disputed: false,
                finding: String::new(),
            },
            Element {
                name: "欠付工资".into(),
                applicant: "2026年7月至8月工资8600元未发放".into(),
                respondent: "已支付部分工资".into(),
                disputed: true,
                finding: "被申请人未举证证明已支付，欠付8600元".into(),
            },
        ];
        let mut nonfinal = award();
        nonfinal.is_final = false;
        nonfinal.sibling = Some("中劳人仲案字〔2026〕第128-1号".into());
        vec![
            (Kind::AwardFinal, v(&award())),
            (Kind::AwardFinal, v(&elements)),
            (Kind::AwardNonfinal, v(&nonfinal)),
            (
                Kind::Mediation,
                v(&Mediation {
                    head: head("仲裁调解书"),
                    accepted_on: "2026年9月14日".into(),
                    tribunal: tribunal(),
                    claims: claims(),
                    items: award().items,
                    signature: signature(),
                }),
            ),
            (
                Kind::AcceptanceNotice,
                v(&Acceptance {
                    head: head("受理通知书"),
                    filed_on: "2026年9月10日".into(),
                    accepted_on: "2026年9月14日".into(),
                    procedure: "简易处理程序".into(),
                    award_due: "2026年10月29日".into(),
                }),
            ),
            (
                Kind::RespondentNotice,
                v(&RespondentNotice {
                    head: head("应诉通知书"),
                    accepted_on: "2026年9月14日".into(),
                    procedure: "简易处理程序".into(),
                    link: "https://arb.example.cn".into(),
                    sign_in: vec![SignIn { name: "中山市某某电器有限公司".into(), code: "AB0C-DEF1-2345".into() }],
                }),
            ),
            (
                Kind::DefenceCopy,
                v(&DefenceCopy {
                    head: head("答辩书副本"),
                    respondent: "中山市某某电器有限公司".into(),
                    received_on: "2026年9月18日".into(),
                    late: false,
                    waived: true,
                    paragraphs: vec!["被申请人已足额支付申请人工资。".into(), "请求驳回申请人的全部仲裁请求。".into()],
                }),
            ),
            (Kind::TribunalNotice, v(&TribunalNotice { head: head("仲裁庭组成通知书"), tribunal: tribunal(), changed: false })),
            (
                Kind::ExtensionNotice,
                v(&ExtensionNotice {
                    head: head("延期审理通知书"),
                    days: 15,
                    approver: "主任".into(),
                    reason: "案情复杂，需调取社会保险缴费记录".into(),
                    award_due: "2026年11月13日".into(),
                    provisional: false,
                }),
            ),
            (
                Kind::SuspensionNotice,
                v(&SuspensionNotice {
                    head: head("中止审理通知书"),
                    ground: "需要等待工伤认定结论".into(),
                    from: "2026年10月20日".into(),
                    note: None,
                }),
            ),
            (
                Kind::RejectionNotice,
                v(&Rejection {
                    head: head("不予受理通知书"),
                    filed_on: "2026年9月10日".into(),
                    grounds: vec![GroundLine {
                        text: "申请人的仲裁请求不属于劳动人事争议仲裁的受理范围".into(),
                        basis: "《劳动人事争议仲裁办案规则》第二条".into(),
                    }],
                    reason: "申请人请求确认的是其与被申请人之间的房屋租赁关系。".into(),
                    addressee: "你".into(),
                    competent: None,
                }),
            ),
            (
                Kind::HearingNotice,
                v(&HearingNotice {
                    head: head("开庭通知书"),
                    day: "2026年10月9日".into(),
                    start: "上午9时".into(),
                    place: "中山市东区中山五路（演示地址）第一审理庭".into(),
                    tribunal: tribunal(),
                    postpone_by: "2026年9月30日".into(),
                    before: None,
                }),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_templates_fill_from_every_kind_of_sample() {
        let t = Templates::load(None).unwrap();
        let text = t.fill(Kind::AwardFinal, &samples::award()).unwrap();
        assert!(text.contains("本裁决为终局裁决"), "{text}");
        assert!(text.contains("一、被申请人"), "{text}");
        assert!(text.contains("捌仟陆佰元整"), "{text}");
        assert!(text.contains("经济补偿金12900元（壹万贰仟玖佰元整）"), "the figure goes before the words: {text}");
        assert!(text.contains("独任仲裁员　王立明") && text.contains("二〇二六年十月十六日") && text.contains("@seal"), "{text}");
        assert!(text.contains("书　记　员　李书雅") && text.contains("本件与原本核对无异"), "{text}");
    }

    #[test]
    fn a_template_with_an_unknown_placeholder_is_refused_at_load_naming_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hearing_notice.txt"), "@title {{ head.title }}\n请携带{{ head.seal_colour }}前来。\n").unwrap();
        let e = Templates::load(Some(dir.path())).err().expect("an unknown placeholder");
        assert_eq!(e.file, "hearing_notice.txt");
        assert!(e.message.contains("第2行"), "{e}");
        assert!(e.message.contains("占位符"), "{e}");
    }

    #[test]
    fn an_item_with_nothing_to_pay_prints_no_amount_in_words() {
        let mut award = samples::award();
        award.items.push(crate::documents::kinds::ResultItem::new(
            "确认申请人与被申请人于2023年5月8日至2026年9月2日存在劳动关系".into(),
            crate::law::money::Amount::ZERO,
        ));
        let text = Templates::load(None).unwrap().fill(Kind::AwardFinal, &award).unwrap();
        assert!(text.contains("存在劳动关系；"), "{text}");
        assert!(!text.contains("零元整"), "{text}");
    }

    #[test]
    fn result_items_are_numbered_in_chinese() {
        assert_eq!(cn_index(1), "一");
        assert_eq!(cn_index(10), "十");
        assert_eq!(cn_index(12), "十二");
        assert_eq!(cn_index(21), "二十一");
    }
}
