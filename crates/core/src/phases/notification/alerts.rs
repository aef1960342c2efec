//! Desktop reminders for running clocks: one when a clock comes within 24 h, 4 h and 1 h of its due time and one
//! when it is overdue. On start-up only overdue clocks are announced: the thresholds crossed while the app was
//! closed are old news, an overdue notification is not.

use super::clocks::{alert_level, shown, AlertLevel, OpenClock};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// One reminder to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub title: String,
    pub body: String,
}

/// What was last announced per clock (incident, regime, stage), so each threshold is announced once.
#[derive(Debug, Default)]
pub struct Reminders {
    announced: BTreeMap<(String, String, String), AlertLevel>,
    started: bool,
}

impl Reminders {
    /// The reminders due at `now` for `clocks` (the running clocks of every incident).
    pub fn check(&mut self, clocks: &[OpenClock], now: DateTime<Utc>, zone: Tz) -> Vec<Alert> {
        let first = !self.started;
        self.started = true;
        let mut alerts = Vec::new();
        let mut seen = BTreeMap::new();
        for clock in clocks {
            let Some(level) = alert_level(clock.due, now) else { continue };
            let key = (clock.incident.clone(), clock.regime.clone(), clock.stage.clone());
            let before = self.announced.get(&key).copied();
            let crossed = before.is_none_or(|b| level > b);
            if crossed && (!first || level == AlertLevel::Overdue) {
                alerts.push(alert(clock, level, now, zone));
            }
            seen.insert(key, level);
        }
        // Clocks submitted (or moved back out of range) are forgotten, so a moved clock is announced afresh.
        self.announced = seen;
        alerts
    }
}

fn alert(clock: &OpenClock, level: AlertLevel, now: DateTime<Utc>, zone: Tz) -> Alert {
    let left = clock.due - now;
    let when = if level == AlertLevel::Overdue {
        format!("overdue by {}", span(-left))
    } else {
        format!("due in {}", span(left))
    };
    let mark = if clock.verified { "" } else { " (unverified regime)" };
    Alert {
        title: format!("{} {} {when}", clock.regime_name, clock.stage),
        body: format!("{}: {}. Due {}{mark}.", clock.incident, clock.incident_title, shown(clock.due, zone)),
    }
}

fn span(d: chrono::Duration) -> String {
    let minutes = d.num_minutes().max(0);
    if minutes < 60 {
        format!("{minutes} min")
    } else if minutes < 48 * 60 {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{} days", minutes / (24 * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::notification::ClockState;
    use chrono::{Duration, TimeZone};

    fn clock(due: DateTime<Utc>) -> OpenClock {
        OpenClock {
            incident: "AI-INC-2026-1122-001".into(),
            incident_title: "Refund bot".into(),
            regime: "gdpr-art33".into(),
            regime_name: "GDPR Art. 33".into(),
            stage: "notification".into(),
            due,
            state: ClockState::Upcoming,
            confirmed: true,
            verified: true,
        }
    }

    #[test]
    fn each_threshold_is_announced_once_and_start_up_announces_only_overdue() {
        let due = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let zone: Tz = "Europe/Dublin".parse().unwrap();
        let clocks = [clock(due)];
        let mut r = Reminders::default();
        assert!(r.check(&clocks, due - Duration::hours(3), zone).is_empty(), "start-up inside 4 h: no reminder");
        assert!(r.check(&clocks, due - Duration::minutes(150), zone).is_empty(), "same threshold: once");
        let one_hour = r.check(&clocks, due - Duration::minutes(59), zone);
        assert_eq!(one_hour.len(), 1);
        assert_eq!(one_hour[0].title, "GDPR Art. 33 notification due in 59 min");
        assert!(one_hour[0].body.contains("2026-11-25 09:00 GMT"), "{}", one_hour[0].body);
        assert!(r.check(&clocks, due - Duration::minutes(30), zone).is_empty());
        let overdue = r.check(&clocks, due + Duration::minutes(90), zone);
        assert_eq!(overdue[0].title, "GDPR Art. 33 notification overdue by 1 h 30 min");
        assert!(r.check(&clocks, due + Duration::hours(2), zone).is_empty());

        let mut fresh = Reminders::default();
        let at_start = fresh.check(&clocks, due + Duration::days(3), zone);
        assert_eq!(at_start.len(), 1, "start-up announces what is overdue");
        assert!(at_start[0].title.ends_with("overdue by 3 days"));

        let mut running = Reminders::default();
        assert!(running.check(&clocks, due - Duration::hours(30), zone).is_empty());
        let day = running.check(&clocks, due - Duration::hours(23), zone);
        assert_eq!(day[0].title, "GDPR Art. 33 notification due in 23 h 00 min");
        assert_eq!(running.check(&clocks, due - Duration::hours(4), zone).len(), 1, "the 4 h reminder");
        assert!(running.check(&[], due - Duration::hours(3), zone).is_empty(), "submitted: nothing more");
    }
}
