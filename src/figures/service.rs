//! The service figures of a period: how long documents took from issue to service, per channel,
//! and the share served electronically (issue 21; service.md). Pure: service records in, figures out.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Definition, median, rate};

/// The service figures' definitions, listed after the case figures.
pub const DEFINITIONS: [Definition; 3] = [
    Definition {
        field: "service.served",
        name: "送达份数",
        formula: "送达日期在期间内的送达数（每份文书对每名受送达人计一次；公告送达以视为送达之日计）",
    },
    Definition {
        field: "service.by_channel.median_days",
        name: "送达用时中位数（日）",
        formula: "按送达方式，文书制作日至送达日的自然日数的中位数（偶数个时取中间两数的平均）",
    },
    Definition {
        field: "service.electronic_share", name: "电子送达占比", formula: "以网上服务平台、电子邮件或短信送达的份数 ÷ 送达份数"
    },
];

/// One delivered service as the figures read it.
#[derive(Debug, Clone, Copy)]
pub struct Served<'a> {
    pub channel: &'a str,
    /// Calendar days from the document's issue to its service date.
    pub days: i64,
    pub electronic: bool,
}

/// One channel's services in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChannelService {
    pub served: i64,
    pub median_days: Option<f64>,
}

/// The service figures of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ServiceFigures {
    pub served: i64,
    pub electronic_share: Option<f64>,
    /// `{ "<channel>": { "served", "median_days" } }`, only channels used in the period.
    pub by_channel: BTreeMap<String, ChannelService>,
}

/// Counts `served` into the period's figures.
pub fn service_figures<'a>(served: impl IntoIterator<Item = Served<'a>>) -> ServiceFigures {
    let mut days: BTreeMap<&str, BTreeMap<i64, i64>> = BTreeMap::new();
    let (mut all, mut electronic) = (0, 0);
    for s in served {
        *days.entry(s.channel).or_default().entry(s.days.max(0)).or_default() += 1;
        all += 1;
        electronic += i64::from(s.electronic);
    }
    ServiceFigures {
        served: all,
        electronic_share: rate(electronic, all),
        by_channel: days
            .into_iter()
            .map(|(c, h)| (c.to_string(), ChannelService { served: h.values().sum(), median_days: median(&h) }))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(channel: &str, days: i64, electronic: bool) -> Served<'_> {
        Served { channel, days, electronic }
    }

    #[test]
    fn median_days_are_per_channel_and_the_share_counts_electronic_services() {
        let f = service_figures([s("email", 0, true), s("email", 1, true), s("post", 3, false), s("post", 5, false), s("post", 4, false)]);
        assert_eq!(f.served, 5);
        assert_eq!(f.electronic_share, Some(0.4));
        assert_eq!(f.by_channel["email"], ChannelService { served: 2, median_days: Some(0.5) });
        assert_eq!(f.by_channel["post"].median_days, Some(4.0));
    }

    #[test]
    fn a_period_without_service_has_no_share() {
        let f = service_figures([]);
        assert_eq!((f.served, f.electronic_share, f.by_channel.len()), (0, None, 0));
    }
}
