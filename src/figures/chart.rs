//! The figures page's charts as inline SVG, drawn with plotters: monthly intake against closures,
//! the cycle-time distribution per track, and the deadline risk of open cases.

use plotters::prelude::*;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 300;
const FONT: &str = "sans-serif";
/// One colour per series, readable in print and for the common colour blindnesses.
const PALETTE: [RGBColor; 4] = [RGBColor(0, 114, 178), RGBColor(230, 159, 0), RGBColor(0, 158, 115), RGBColor(204, 121, 167)];

fn done(svg: String, result: Result<(), String>) -> String {
    match result {
        Ok(()) => svg,
        // Drawing into a string fails only on impossible geometry; the page then says so.
        Err(e) => format!("<p class=\"error\">图表无法绘制：{e}</p>"),
    }
}

/// One bar series: its legend, colour and a value per label; the first bar may stand out.
struct Series<'a> {
    label: &'a str,
    color: RGBColor,
    first_color: Option<RGBColor>,
    values: Vec<i64>,
}

/// Bars per label, the series side by side within each label's segment, with a legend when there
/// is more than one series.
fn bars(caption: &str, labels: &[String], series: &[Series]) -> String {
    let mut svg = String::new();
    let result = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0).max(1);
        let n = labels.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FONT, 18))
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d((0u32..n).into_segmented(), 0i64..top + top / 10 + 1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(labels.len().min(12))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc("件")
            .label_style((FONT, 12))
            .draw()
            .map_err(|e| e.to_string())?;
        // A segment is split in equal parts, one per series, 4 px apart.
        let parts = series.len().max(1) as i32;
        let width = chart.plotting_area().dim_in_pixel().0 as i32 / n as i32;
        for (k, s) in series.iter().enumerate() {
            let (color, first) = (s.color, s.first_color.unwrap_or(s.color));
            let (left, right) = (4 + k as i32 * width / parts, 4 + (parts - 1 - k as i32) * width / parts);
            let drawn = chart
                .draw_series(s.values.iter().enumerate().map(move |(i, v)| {
                    let i = i as u32;
                    let fill = if i == 0 { first } else { color };
                    let mut bar = Rectangle::new([(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), *v)], fill.filled());
                    bar.set_margin(0, 0, left.max(0) as u32, right.max(0) as u32);
                    bar
                }))
                .map_err(|e| e.to_string())?;
            if series.len() > 1 {
                drawn.label(s.label).legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
            }
            // Each bar says its value above it.
            let inner = (width - left.max(0) - right.max(0)).max(1);
            for (i, v) in s.values.iter().enumerate() {
                let (x, y) = chart.backend_coord(&(SegmentValue::Exact(i as u32), *v));
                let text = v.to_string();
                let at = (x + left.max(0) + inner / 2 - 3 * text.len() as i32, y - 16);
                root.draw(&Text::new(text, at, (FONT, 12).into_font().color(&BLACK))).map_err(|e| e.to_string())?;
            }
        }
        if series.len() > 1 {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .label_font((FONT, 12))
                .draw()
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())
    })();
    done(svg, result)
}

/// Bars of intake and closures per month, side by side. `months` are `YYYY-MM`.
pub fn monthly(months: &[(String, i64, i64)]) -> String {
    let labels: Vec<String> = months.iter().map(|(m, _, _)| m.clone()).collect();
    bars(
        "每月受理与结案",
        &labels,
        &[
            Series { label: "受理", color: PALETTE[0], first_color: None, values: months.iter().map(|(_, a, _)| *a).collect() },
            Series { label: "结案", color: PALETTE[1], first_color: None, values: months.iter().map(|(_, _, c)| *c).collect() },
        ],
    )
}

/// The share of each track's closed cases per week of cycle time (0–6 days, 7–13, …), one line
/// per track, with the statutory 45 and 60 days marked.
pub fn cycle_distribution(tracks: &[(&str, Vec<(i64, i64)>)]) -> String {
    let mut svg = String::new();
    let result = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let weeks = 13i64; // 0–90 days; longer cycles fall in the last week shown
        let shares: Vec<(&str, Vec<(i64, f64)>)> = tracks
            .iter()
            .map(|(name, hist)| {
                let total: i64 = hist.iter().map(|(_, c)| c).sum();
                let mut per_week = vec![0i64; weeks as usize];
                for (days, count) in hist {
                    per_week[((days / 7).clamp(0, weeks - 1)) as usize] += count;
                }
                (
                    *name,
                    per_week
                        .iter()
                        .enumerate()
                        .map(|(w, c)| (w as i64 * 7, if total > 0 { *c as f64 / total as f64 * 100.0 } else { 0.0 }))
                        .collect(),
                )
            })
            .collect();
        let top = shares.iter().flat_map(|(_, s)| s.iter().map(|(_, v)| *v)).fold(0.0f64, f64::max).max(10.0);
        let mut chart = ChartBuilder::on(&root)
            .caption("办案周期分布（按周，占各程序结案数%）", (FONT, 18))
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0i64..weeks * 7, 0f64..top * 1.1)
            .map_err(|e| e.to_string())?;
        chart.configure_mesh().x_desc("自受理起自然日").y_desc("%").label_style((FONT, 12)).draw().map_err(|e| e.to_string())?;
        for limit in [45i64, 60] {
            chart
                .draw_series(LineSeries::new([(limit, 0.0), (limit, top * 1.1)], BLACK.mix(0.4).stroke_width(1)))
                .map_err(|e| e.to_string())?;
        }
        for (i, (name, points)) in shares.into_iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(points.into_iter().map(|(d, v)| (d + 3, v)), color.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(name)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font((FONT, 12))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())
    })();
    done(svg, result)
}

/// Open cases per risk bucket; the first bucket (overdue) in red.
pub fn deadline_risk(buckets: &[(&str, i64)]) -> String {
    let labels: Vec<String> = buckets.iter().map(|(l, _)| l.to_string()).collect();
    let values = buckets.iter().map(|(_, c)| *c).collect();
    bars(
        "未结案件审限风险（距审限届满）",
        &labels,
        &[Series { label: "案件", color: PALETTE[0], first_color: Some(RGBColor(213, 94, 0)), values }],
    )
}

/// One value a week (`labels` are the weeks' Mondays), as a line with its points marked.
pub fn weekly_line(caption: &str, unit: &str, labels: &[String], values: &[f64]) -> String {
    let mut svg = String::new();
    let result = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = values.iter().copied().fold(0.0f64, f64::max).max(1.0);
        let n = values.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FONT, 18))
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0usize..n, 0f64..top * 1.1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(8)
            .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
            .y_desc(unit)
            .label_style((FONT, 12))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(values.iter().enumerate().map(|(i, v)| (i, *v)), PALETTE[0].stroke_width(2)))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| Circle::new((i, *v), 2, PALETTE[0].filled())))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())
    })();
    done(svg, result)
}

/// Per track, the mean days of each step of a case, stacked left to right, with each part's days written in it.
pub fn steps(step_names: &[&str], tracks: &[(&str, Vec<f64>)]) -> String {
    let mut svg = String::new();
    let result = (|| -> Result<(), String> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = tracks.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(0.0f64, f64::max).max(1.0);
        let n = tracks.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption("各环节平均用时（自然日）", (FONT, 18))
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(110)
            .build_cartesian_2d(0f64..top * 1.05, (0u32..n).into_segmented())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(tracks.len())
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => tracks.get(*i as usize).map(|(t, _)| t.to_string()).unwrap_or_default(),
                _ => String::new(),
            })
            .x_desc("日")
            .label_style((FONT, 12))
            .draw()
            .map_err(|e| e.to_string())?;
        for (k, name) in step_names.iter().enumerate() {
            let color = [PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], RGBColor(86, 180, 233)][k % 5];
            let bars: Vec<Rectangle<(f64, SegmentValue<u32>)>> = tracks
                .iter()
                .enumerate()
                .map(|(i, (_, v))| {
                    let start: f64 = v[..k].iter().sum();
                    let end = start + v[k];
                    Rectangle::new([(start, SegmentValue::Exact(i as u32)), (end, SegmentValue::Exact(i as u32 + 1))], color.filled())
                })
                .collect();
            chart
                .draw_series(bars)
                .map_err(|e| e.to_string())?
                .label(*name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FONT, 12))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())
    })();
    done(svg, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_monthly_chart_is_an_svg_that_names_its_months_and_series() {
        let svg = monthly(&[("2026-01".into(), 120, 98), ("2026-02".into(), 80, 130), ("2026-03".into(), 90, 85)]);
        assert!(svg.starts_with("<svg"), "{svg}");
        for text in ["每月受理与结案", "2026-01", "2026-02", "2026-03", "受理", "结案"] {
            assert!(svg.contains(text), "{text} missing");
        }
        // Every bar carries its value.
        for value in ["120", "98", "80", "130", "90", "85"] {
            assert!(svg.contains(&format!("\n{value}\n</text>")), "the value {value} is printed on its bar");
        }
    }

    #[test]
    fn the_cycle_chart_has_one_line_per_track_and_the_risk_chart_one_bar_per_bucket() {
        let svg = cycle_distribution(&[("小额速裁", vec![(10, 5), (20, 5)]), ("普通程序", vec![(40, 3)])]);
        // Each track: its line and its legend swatch, in its own colour.
        assert_eq!(svg.matches("stroke=\"#0072B2\" stroke-width=\"2\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("stroke=\"#E69F00\" stroke-width=\"2\"").count(), 2, "{svg}");
        assert!(svg.contains("小额速裁") && svg.contains("普通程序"));
        let svg = deadline_risk(&[("已超审限", 1), ("5日内届满", 4), ("6–15日", 0)]);
        assert!(svg.contains("已超审限") && svg.contains("6–15日"));
        assert!(svg.matches("<rect").count() >= 3);
        assert!(svg.contains("fill=\"#D55E00\""), "the overdue bar stands out in red");
    }
}
