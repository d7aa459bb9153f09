//! An arbitrator's own calendar (iCalendar, RFC 5545) read as busy times: opaque events, with
//! their recurrences (`RRULE`, `RDATE`, `EXDATE`) expanded by the `rrule` crate, and `VFREEBUSY`
//! busy periods; transparent and cancelled events are ignored. `TZID`, UTC and floating times are
//! read in Asia/Shanghai; an all-day event blocks its days. Only the days in the horizon are kept.

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Asia::Shanghai;
use ical::line::LineReader;
use ical::property::{Property, PropertyParser};

/// Why a calendar file was refused: the line and property, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第 {line} 行 {property}：{message}")]
pub struct IcsError {
    pub line: usize,
    pub property: String,
    pub message: String,
}

/// A busy time found in the calendar, in Beijing time, within one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// The event's summary (kept for the arbitrator; the clerk sees only that the time is taken).
    pub note: String,
}

/// Occurrences of one recurring event a calendar may expand to (a daily event over a year is 366).
const MAX_OCCURRENCES: u16 = 1_000;

struct Prop {
    line: usize,
    name: String,
    params: Vec<(String, Vec<String>)>,
    value: String,
}

impl Prop {
    fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.first()).map(String::as_str)
    }

    fn error(&self, message: impl Into<String>) -> IcsError {
        IcsError { line: self.line, property: self.name.clone(), message: message.into() }
    }
}

/// The busy times of a calendar on the days `from..=to`.
pub fn busy_times(text: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<Found>, IcsError> {
    let props = properties(text)?;
    let mut out = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut current: Vec<Prop> = Vec::new();
    let mut saw_calendar = false;
    for p in props {
        match p.name.as_str() {
            "BEGIN" => {
                let what = p.value.to_ascii_uppercase();
                saw_calendar |= what == "VCALENDAR";
                if stack.is_empty() && what != "VCALENDAR" {
                    return Err(p.error("日历文件应以 BEGIN:VCALENDAR 开始"));
                }
                stack.push((what, p.line));
                current.clear();
            }
            "END" => {
                let what = p.value.to_ascii_uppercase();
                match stack.pop() {
                    Some((open, _)) if open == what => {}
                    Some((open, line)) => return Err(p.error(format!("与第 {line} 行的 BEGIN:{open} 不配对"))),
                    None => return Err(p.error("没有对应的 BEGIN")),
                }
                match what.as_str() {
                    "VEVENT" => out.extend(event(&current, from, to)?),
                    "VFREEBUSY" => out.extend(freebusy(&current, from, to)?),
                    _ => {}
                }
                current.clear();
            }
            _ if stack.is_empty() => return Err(p.error("出现在 BEGIN:VCALENDAR 之外")),
            _ => current.push(p),
        }
    }
    if let Some((open, line)) = stack.pop() {
        return Err(IcsError { line, property: "BEGIN".into(), message: format!("BEGIN:{open} 没有对应的 END") });
    }
    if !saw_calendar {
        return Err(IcsError {
            line: 1, property: "BEGIN".into(), message: "不是 iCalendar 日历文件（缺少 BEGIN:VCALENDAR）".into()
        });
    }
    out.sort_by_key(|f| (f.day, f.start, f.end));
    out.dedup_by(|a, b| a.day == b.day && a.start == b.start && a.end == b.end);
    Ok(out)
}

/// The unfolded content lines, each parsed into its property (by the `ical` crate), with its line.
fn properties(text: &str) -> Result<Vec<Prop>, IcsError> {
    let mut out = Vec::new();
    for line in LineReader::new(text.as_bytes()) {
        let number = line.number();
        let raw = line.as_str().to_string();
        let parsed: Option<Result<Property, _>> = PropertyParser::from_reader(raw.as_bytes()).next();
        let name_of = || raw.split([';', ':']).next().unwrap_or("").to_string();
        let p = match parsed {
            Some(Ok(p)) => p,
            _ => return Err(IcsError { line: number, property: name_of(), message: "不是“属性:值”的格式".into() }),
        };
        let Some(value) = p.value else {
            return Err(IcsError { line: number, property: p.name, message: "缺少值".into() });
        };
        out.push(Prop { line: number, name: p.name.to_ascii_uppercase(), params: p.params.unwrap_or_default(), value });
    }
    Ok(out)
}

/// A date-time value as Beijing time: `Z` is UTC, a `TZID` its zone, a floating time Beijing's.
fn instant(p: &Prop, value: &str) -> Result<(DateTime<chrono_tz::Tz>, bool), IcsError> {
    let all_day = p.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8;
    if all_day {
        let d = NaiveDate::parse_from_str(value, "%Y%m%d").map_err(|_| p.error(format!("日期“{value}”应写成 YYYYMMDD")))?;
        return Ok((Shanghai.from_local_datetime(&d.and_time(NaiveTime::MIN)).single().expect("Beijing has no gaps"), true));
    }
    let (stamp, utc) = match value.strip_suffix('Z') {
        Some(s) => (s, true),
        None => (value, false),
    };
    let local =
        NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S").map_err(|_| p.error(format!("时间“{value}”应写成 YYYYMMDDTHHMMSS")))?;
    let zone = match (utc, p.param("TZID")) {
        (true, _) => chrono_tz::UTC,
        (false, Some(id)) => chrono_tz::Tz::from_str(id.trim_matches('"')).map_err(|_| p.error(format!("不认识的时区“{id}”")))?,
        (false, None) => Shanghai,
    };
    let at = zone.from_local_datetime(&local).earliest().ok_or_else(|| p.error(format!("“{value}”在该时区不存在")))?;
    Ok((at.with_timezone(&Shanghai), false))
}

/// `PT1H30M`, `P1D`, `-PT15M`… (RFC 5545 §3.3.6).
fn duration(p: &Prop) -> Result<Duration, IcsError> {
    let v = p.value.trim();
    let bad = || p.error(format!("时长“{v}”格式不对"));
    let (sign, rest) = match v.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, v.strip_prefix('+').unwrap_or(v)),
    };
    let rest = rest.strip_prefix('P').ok_or_else(bad)?;
    let (mut total, mut number, mut in_time) = (0i64, String::new(), false);
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' => number.push(c),
            unit => {
                let n: i64 = number.parse().map_err(|_| bad())?;
                number.clear();
                total += n * match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return Err(bad()),
                };
            }
        }
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(Duration::seconds(sign * total))
}

fn find<'a>(props: &'a [Prop], name: &str) -> Option<&'a Prop> {
    props.iter().find(|p| p.name == name)
}

/// The busy times of one event, its recurrences expanded.
fn event(props: &[Prop], from: NaiveDate, to: NaiveDate) -> Result<Vec<Found>, IcsError> {
    let transparent = find(props, "TRANSP").is_some_and(|p| p.value.eq_ignore_ascii_case("TRANSPARENT"));
    let cancelled = find(props, "STATUS").is_some_and(|p| p.value.eq_ignore_ascii_case("CANCELLED"));
    if transparent || cancelled {
        return Ok(Vec::new());
    }
    let Some(dtstart) = find(props, "DTSTART") else { return Ok(Vec::new()) };
    let (start, all_day) = instant(dtstart, &dtstart.value)?;
    let length = match (find(props, "DTEND"), find(props, "DURATION")) {
        (Some(end), _) => instant(end, &end.value)?.0 - start,
        (None, Some(d)) => duration(d)?,
        (None, None) if all_day => Duration::days(1),
        (None, None) => Duration::zero(),
    };
    if length <= Duration::zero() {
        return Ok(Vec::new());
    }
    let note = find(props, "SUMMARY").map(|p| p.value.clone()).unwrap_or_default();
    let starts = occurrences(props, start, from, to, length)?;
    Ok(starts.into_iter().flat_map(|s| split(s, s + length, &note, from, to)).collect())
}

/// The starts of an event: its own, or those of its recurrence set within the horizon.
fn occurrences(
    props: &[Prop],
    start: DateTime<chrono_tz::Tz>,
    from: NaiveDate,
    to: NaiveDate,
    length: Duration,
) -> Result<Vec<DateTime<chrono_tz::Tz>>, IcsError> {
    let rrules: Vec<&Prop> = props.iter().filter(|p| p.name == "RRULE").collect();
    let rdates: Vec<&Prop> = props.iter().filter(|p| p.name == "RDATE").collect();
    if rrules.is_empty() && rdates.is_empty() {
        return Ok(vec![start]);
    }
    let tz = rrule::Tz::Tz(Shanghai);
    let dt = |t: DateTime<chrono_tz::Tz>| t.with_timezone(&tz);
    let mut set = rrule::RRuleSet::new(dt(start));
    for r in &rrules {
        let rule = rrule::RRule::from_str(&r.value).map_err(|e| r.error(format!("重复规则有误：{e}")))?;
        set = set.rrule(rule.validate(dt(start)).map_err(|e| r.error(format!("重复规则有误：{e}")))?);
    }
    for p in props.iter().filter(|p| p.name == "EXDATE") {
        for v in p.value.split(',') {
            set = set.exdate(dt(instant(p, v)?.0));
        }
    }
    for p in rdates {
        for v in p.value.split(',') {
            set = set.rdate(dt(instant(p, v)?.0));
        }
    }
    let lo = Shanghai.from_local_datetime(&from.and_time(NaiveTime::MIN)).single().expect("Beijing has no gaps") - length;
    let hi = Shanghai.from_local_datetime(&(to + Duration::days(1)).and_time(NaiveTime::MIN)).single().expect("Beijing has no gaps");
    let found = set.after(dt(lo)).before(dt(hi)).all(MAX_OCCURRENCES);
    Ok(found.dates.into_iter().map(|d| d.with_timezone(&Shanghai)).collect())
}

/// `VFREEBUSY`'s busy periods (`FBTYPE` other than `FREE`).
fn freebusy(props: &[Prop], from: NaiveDate, to: NaiveDate) -> Result<Vec<Found>, IcsError> {
    let mut out = Vec::new();
    for p in props.iter().filter(|p| p.name == "FREEBUSY") {
        if p.param("FBTYPE").is_some_and(|t| t.eq_ignore_ascii_case("FREE")) {
            continue;
        }
        for period in p.value.split(',') {
            let (a, b) = period.split_once('/').ok_or_else(|| p.error(format!("时段“{period}”应写成 开始/结束 或 开始/时长")))?;
            let (start, _) = instant(p, a)?;
            let end = if b.starts_with('P') || b.starts_with("-P") || b.starts_with("+P") {
                start + duration(&Prop { line: p.line, name: p.name.clone(), params: Vec::new(), value: b.to_string() })?
            } else {
                instant(p, b)?.0
            };
            out.extend(split(start, end, "", from, to));
        }
    }
    Ok(out)
}

/// A busy span cut into its days (Beijing time), those in the horizon kept.
fn split(start: DateTime<chrono_tz::Tz>, end: DateTime<chrono_tz::Tz>, note: &str, from: NaiveDate, to: NaiveDate) -> Vec<Found> {
    let mut out = Vec::new();
    let (start, end) = (start.naive_local(), end.naive_local());
    let mut day = start.date();
    while day <= end.date() && day <= to {
        let lo = if day == start.date() { start.time() } else { NaiveTime::MIN };
        let hi = if day == end.date() { end.time() } else { NaiveTime::from_hms_opt(23, 59, 59).expect("valid") };
        if day >= from && lo < hi {
            out.push(Found { day, start: lo, end: hi, note: note.to_string() });
        }
        day = day.succ_opt().expect("a day after");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    const CAL: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:court@x\r\nSUMMARY:出庭（每周二上午）\r\nDTSTART;TZID=Asia/Shanghai:20261201T090000\r\nDTEND;TZID=Asia/Shanghai:20261201T113000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4\r\nEXDATE;TZID=Asia/Shanghai:20261208T090000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:ny@x\r\nSUMMARY:New York call\r\nDTSTART;TZID=America/New_York:20261203T010000\r\nDTEND;TZID=America/New_York:20261203T020000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:allday@x\r\nSUMMARY:培训\r\nDTSTART;VALUE=DATE:20261204\r\nDTEND;VALUE=DATE:20261205\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:free@x\r\nSUMMARY:仅提醒\r\nDTSTART:20261207T020000Z\r\nDTEND:20261207T030000Z\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:gone@x\r\nSUMMARY:取消的会\r\nDTSTART:20261207T060000Z\r\nDTEND:20261207T070000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn opaque_events_and_their_recurrences_become_busy_times_in_beijing_time() {
        let got = busy_times(CAL, d("2026-12-01"), d("2026-12-31")).unwrap();
        let days: Vec<(NaiveDate, NaiveTime, NaiveTime)> = got.iter().map(|f| (f.day, f.start, f.end)).collect();
        assert_eq!(
            days,
            [
                (d("2026-12-01"), t("09:00"), t("11:30")),
                // 01:00 in New York on 3 December is 14:00 in Beijing.
                (d("2026-12-03"), t("14:00"), t("15:00")),
                (d("2026-12-04"), t("00:00"), NaiveTime::from_hms_opt(23, 59, 59).unwrap()),
                (d("2026-12-15"), t("09:00"), t("11:30")),
                (d("2026-12-22"), t("09:00"), t("11:30")),
            ],
            "the 8th is excepted; the transparent and cancelled events hold nothing"
        );
    }

    #[test]
    fn only_the_horizon_is_kept() {
        let got = busy_times(CAL, d("2026-12-10"), d("2026-12-16")).unwrap();
        assert_eq!(got.iter().map(|f| f.day).collect::<Vec<_>>(), [d("2026-12-15")]);
    }

    #[test]
    fn a_malformed_line_is_named_with_its_property() {
        let bad = CAL.replace("DTSTART;TZID=America/New_York:20261203T010000", "DTSTART;TZID=America/New_York:2026-12-03 01:00");
        let e = busy_times(&bad, d("2026-12-01"), d("2026-12-31")).unwrap_err();
        assert_eq!((e.line, e.property.as_str()), (15, "DTSTART"), "{e}");
        let e = busy_times("BEGIN:VCALENDAR\r\nthis is not a property\r\nEND:VCALENDAR\r\n", d("2026-12-01"), d("2026-12-31")).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = busy_times(&CAL.replace("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4", "RRULE:FREQ=SOMETIMES"), d("2026-12-01"), d("2026-12-31"))
            .unwrap_err();
        assert_eq!(e.property, "RRULE", "{e}");
    }

    #[test]
    fn freebusy_periods_are_busy_unless_marked_free() {
        let cal = "BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\nFREEBUSY:20261202T010000Z/PT2H,20261202T060000Z/20261202T063000Z\r\n\
FREEBUSY;FBTYPE=FREE:20261203T010000Z/PT8H\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
        let got = busy_times(cal, d("2026-12-01"), d("2026-12-31")).unwrap();
        let spans: Vec<(NaiveTime, NaiveTime)> = got.iter().map(|f| (f.start, f.end)).collect();
        assert_eq!(spans, [(t("09:00"), t("11:00")), (t("14:00"), t("14:30"))]);
    }
}
