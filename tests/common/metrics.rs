//! Reading the app's metrics in-process (`backbone_admin::metrics::install().render()`).

/// The value of an unlabelled counter or gauge (or one series, labels included) in the
/// exporter's text, 0 when absent.
pub fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| {
            let (name, value) = line.rsplit_once(' ')?;
            (name == series).then(|| value.parse().ok()).flatten()
        })
        .unwrap_or(0.0)
}
