//! The simulated parties: an application whose claims route it to the track drawn for it, with
//! valid identity numbers, and the consents the scenario gives the applicants.

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use crate::demo::{EMPLOYERS, credit_code, person, resident_id};
use crate::law::application::{RawApplicant, RawApplication, RawClaim, RawConsents, RawEmployment, RawRespondent};
use crate::law::routing::Track;

/// An application filed on `filed_on` that routing sends to `track` (Law Art. 47; Rules Art. 56):
/// green, wages within twelve months' minimum wage with both consents; simple, a claim to confirm
/// the employment (never green) within the ceiling; ordinary, damages above the ceiling;
/// collective, twelve workers.
pub fn application(rng: &mut StdRng, filed_on: NaiveDate, track: Track, electronic: bool) -> RawApplication {
    let wage = rng.random_range(2_300..9_000i64);
    let claims: Vec<(&str, Option<i64>, &str)> = match track {
        Track::Green => vec![("unpaid_wages", Some(rng.random_range(1_000..20_000)), "拖欠工资")],
        Track::Simple => vec![
            ("confirm_employment", None, "确认双方存在劳动关系"),
            ("economic_compensation", Some(wage * rng.random_range(1..8)), "解除劳动合同经济补偿"),
        ],
        Track::Ordinary => vec![
            ("unpaid_wages", Some(wage * rng.random_range(1..4)), "拖欠工资"),
            ("unlawful_termination_damages", Some(rng.random_range(140_000..260_000)), "违法解除劳动合同赔偿金"),
        ],
        Track::Collective => vec![("unpaid_wages", Some(wage * 2), "拖欠两个月工资")],
    };
    let workers = if track == Track::Collective { 12 } else { 1 };
    let start = filed_on - Days::new(rng.random_range(200..1500));
    let employer = EMPLOYERS[rng.random_range(0..EMPLOYERS.len())];
    RawApplication {
        applicants: Some(
            (0..workers)
                .map(|_| RawApplicant {
                    name: Some(person(rng)),
                    id_number: Some(resident_id(rng)),
                    phone: Some(format!("13{:09}", rng.random_range(0..1_000_000_000u64))),
                    address: Some(format!("广东省中山市石岐区民生路{}号", rng.random_range(1..300))),
                    email: None,
                })
                .collect(),
        ),
        respondents: Some(vec![RawRespondent {
            name: Some(employer.into()),
            credit_code: Some(credit_code(rng)),
            legal_representative: Some(person(rng)),
            address: Some(format!("广东省中山市火炬开发区工业大道{}号", rng.random_range(1..200))),
            ..Default::default()
        }]),
        claims: Some(
            claims
                .into_iter()
                .map(|(k, yuan, d)| RawClaim { kind: Some(k.into()), amount: yuan.map(|y| format!("{y}.00")), description: Some(d.into()) })
                .collect(),
        ),
        employment: Some(RawEmployment {
            start: Some(start.to_string()),
            end: Some((filed_on - Days::new(rng.random_range(5..60))).to_string()),
            monthly_wage: Some(format!("{wage}.00")),
        }),
        facts: Some("申请人在被申请人处工作，被申请人未按约定足额支付劳动报酬，经多次催讨未果。".into()),
        consents: Some(RawConsents {
            simplified: Some(track != Track::Ordinary),
            informal_service: Some(true),
            electronic_service: Some(electronic),
            electronic_awards: Some(electronic),
            sms_notice: Some(false),
        }),
    }
}
