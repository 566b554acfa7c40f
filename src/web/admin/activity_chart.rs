//! The dashboard's chart of deletion processes per week, drawn on the server as SVG (no
//! JavaScript) from `domain::activity`'s counts, with the same numbers as a table.

use crate::domain::activity::{ActivityKind, WeekCounts};
use crate::web::i18n::{Arg, Lang, key};

/// The drawing's coordinate system; the SVG scales to its box.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
/// Space between two weeks' groups of bars.
const GROUP_GAP: f64 = 10.0;

/// One series: its name and its CSS class (the colours are in `app.css`).
pub struct Series {
    pub label: String,
    pub class: &'static str,
}

/// A series' messages (its name, a bar's hover title) and its CSS class.
struct Kind {
    label: &'static str,
    bar: &'static str,
    class: &'static str,
}

fn kind_of(kind: ActivityKind) -> Kind {
    let (label, bar, class) = match kind {
        ActivityKind::Started => (
            key("chart-series-started"),
            key("chart-bar-started"),
            "s-started",
        ),
        ActivityKind::Approved => (
            key("chart-series-approved"),
            key("chart-bar-approved"),
            "s-approved",
        ),
        ActivityKind::Rejected => (
            key("chart-series-rejected"),
            key("chart-bar-rejected"),
            "s-rejected",
        ),
        ActivityKind::Cancelled => (
            key("chart-series-cancelled"),
            key("chart-bar-cancelled"),
            "s-cancelled",
        ),
        ActivityKind::Completed => (
            key("chart-series-completed"),
            key("chart-bar-completed"),
            "s-completed",
        ),
    };
    Kind { label, bar, class }
}

fn series(kind: ActivityKind, lang: Lang) -> Series {
    let kind = kind_of(kind);
    Series {
        label: lang.t(kind.label),
        class: kind.class,
    }
}

pub struct Bar {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    pub class: &'static str,
    /// "Week of 30 Nov: 4 started", shown on hover.
    pub title: String,
}

pub struct Tick {
    pub y: String,
    pub label: i64,
}

pub struct WeekLabel {
    pub x: String,
    pub text: String,
}

/// A table row: the week and its counts in series order.
pub struct Row {
    pub week: String,
    pub counts: Vec<i64>,
}

pub struct ActivityChart {
    pub view_box: String,
    pub series: Vec<Series>,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    pub weeks: Vec<WeekLabel>,
    pub rows: Vec<Row>,
    pub total: i64,
    pub axis_x: String,
    pub axis_end: String,
    pub axis_y: String,
    pub label_y: String,
}

/// The smallest of 1, 2, 5, 10, 20, 50, … that is at least `n` (at least 1).
fn nice_ceiling(n: i64) -> i64 {
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if step * factor >= n {
                return step * factor;
            }
        }
        step *= 10;
    }
}

fn px(value: f64) -> String {
    format!("{value:.1}")
}

/// Where things go in the drawing, for `weeks` groups of bars on a scale up to `scale`.
struct Geometry {
    scale: i64,
    group: f64,
    bar_width: f64,
}

const PLOT_HEIGHT: f64 = HEIGHT - TOP - BOTTOM;

impl Geometry {
    fn new(weeks: &[WeekCounts]) -> Self {
        let max = weeks.iter().flat_map(|w| w.counts).max().unwrap_or(0);
        let group = (WIDTH - LEFT - RIGHT) / weeks.len().max(1) as f64;
        Self {
            scale: nice_ceiling(max),
            group,
            bar_width: (group - GROUP_GAP) / ActivityKind::ALL.len() as f64,
        }
    }

    fn y_of(&self, n: i64) -> f64 {
        TOP + PLOT_HEIGHT * (1.0 - n as f64 / self.scale as f64)
    }

    fn bar(&self, week_index: usize, week: &WeekCounts, kind_index: usize, lang: Lang) -> Bar {
        let kind = ActivityKind::ALL[kind_index];
        let n = week.count(kind);
        let top = self.y_of(n);
        let left = LEFT + self.group * week_index as f64 + GROUP_GAP / 2.0;
        Bar {
            x: px(left + self.bar_width * kind_index as f64),
            y: px(top),
            width: px(self.bar_width),
            height: px(TOP + PLOT_HEIGHT - top),
            class: kind_of(kind).class,
            title: lang.t_args(
                kind_of(kind).bar,
                &[
                    ("week", Arg::from(day(week, lang))),
                    ("count", Arg::from(n)),
                    ("n", Arg::from(lang.number(n))),
                ],
            ),
        }
    }

    /// Whole numbers only: the middle line where the scale halves evenly.
    fn ticks(&self) -> Vec<Tick> {
        let middle = (self.scale % 2 == 0).then_some(self.scale / 2);
        std::iter::once(0)
            .chain(middle)
            .chain([self.scale])
            .map(|n| Tick {
                y: px(self.y_of(n)),
                label: n,
            })
            .collect()
    }
}

impl ActivityChart {
    pub fn new(weeks: &[WeekCounts], lang: Lang) -> Self {
        let geometry = Geometry::new(weeks);
        let bars = weeks
            .iter()
            .enumerate()
            .flat_map(|(i, week)| (0..ActivityKind::ALL.len()).map(move |k| (i, week, k)))
            .map(|(i, week, k)| geometry.bar(i, week, k, lang))
            .collect();
        Self {
            view_box: format!("0 0 {WIDTH} {HEIGHT}"),
            series: ActivityKind::ALL.iter().map(|k| series(*k, lang)).collect(),
            bars,
            ticks: geometry.ticks(),
            weeks: weeks
                .iter()
                .enumerate()
                .map(|(i, week)| WeekLabel {
                    x: px(LEFT + geometry.group * (i as f64 + 0.5)),
                    text: day(week, lang),
                })
                .collect(),
            rows: weeks
                .iter()
                .map(|week| Row {
                    week: day(week, lang),
                    counts: week.counts.to_vec(),
                })
                .collect(),
            total: weeks.iter().flat_map(|w| w.counts).sum(),
            axis_x: px(LEFT),
            axis_end: px(WIDTH - RIGHT),
            axis_y: px(TOP + PLOT_HEIGHT),
            label_y: px(HEIGHT - 8.0),
        }
    }
}

/// "30 Nov": the Monday a week starts on.
fn day(week: &WeekCounts, lang: Lang) -> String {
    lang.short_day(week.week)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MessageKey;
    use crate::domain::activity::chart_weeks;

    #[test]
    fn scales_round_up_to_readable_numbers() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(51), 100);
    }

    /// The chart's twelve weeks up to 6 December 2026, all empty.
    fn empty_weeks() -> Vec<WeekCounts> {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-06T12:00:00Z")
            .unwrap()
            .to_utc();
        chart_weeks(now)
            .into_iter()
            .map(WeekCounts::empty)
            .collect()
    }

    #[test]
    fn the_tallest_bar_reaches_the_scale_and_an_empty_week_has_flat_bars() {
        let mut weeks = empty_weeks();
        weeks[11].add(MessageKey::StartedBySupport, 10);
        let chart = ActivityChart::new(&weeks, Lang::En);
        assert_eq!(chart.bars.len(), 12 * 5);
        assert_eq!(chart.total, 10);
        let tallest = &chart.bars[11 * 5];
        assert_eq!(tallest.y, px(TOP), "10 of a scale of 10");
        assert_eq!(tallest.title, "Week of 30 Nov: 10 started");
        assert!(chart.bars[..55].iter().all(|b| b.height == "0.0"));
        assert_eq!(chart.rows[11].counts, [10, 0, 0, 0, 0]);
        assert_eq!(chart.weeks[0].text, "14 Sep");
        let labels: Vec<i64> = chart.ticks.iter().map(|t| t.label).collect();
        assert_eq!(labels, [0, 5, 10]);
        let one = ActivityChart::new(&weeks[..1], Lang::En);
        let labels: Vec<i64> = one.ticks.iter().map(|t| t.label).collect();
        assert_eq!(labels, [0, 1], "no half on a scale of one");
    }

    #[test]
    fn the_chart_speaks_the_visitors_language() {
        let mut weeks = empty_weeks();
        weeks[11].add(MessageKey::Approved, 1_200);
        let chart = ActivityChart::new(&weeks, Lang::De);
        assert_eq!(chart.series[1].label, "Genehmigt");
        assert_eq!(
            chart.bars[11 * 5 + 1].title,
            "Woche ab 30. Nov.: 1.200 genehmigt"
        );
        assert_eq!(chart.weeks[0].text, "14. Sept.");
        let english = ActivityChart::new(&weeks, Lang::En);
        assert_eq!(
            english.bars[11 * 5 + 1].title,
            "Week of 30 Nov: 1,200 approved"
        );
    }
}
