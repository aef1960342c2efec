//! Everything a document says about one incident, read from one state of the record: every phase's rows, the
//! regulatory clocks, the people directory (for the external copy) and the audit trail's integrity at that moment.

use crate::audit::{Actor, Head};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::people::{self, Person};
use crate::phases::affected::{self, AffectedObject, ObjectCounts, ObjectQuery, QuestionAnswer, RecoveryLogEntry};
use crate::phases::communication::{self, CommunicationView};
use crate::phases::containment::{self, ContainmentLine};
use crate::phases::evidence::{self, CustodyEvent, EvidenceFile, EvidenceKindState};
use crate::phases::guidance::{self, Guidance};
use crate::phases::notification::{self, IncidentClocks};
use crate::phases::overrides::{self, Override};
use crate::phases::pause::{self, PauseAction};
use crate::phases::playbook::{self, PlaybookView};
use crate::phases::postmortem::{self, PostmortemView};
use crate::phases::reenable::{self, ReenableView};
use crate::phases::severity::{self, SeverityAssessment};
use crate::seal::{Seal, SealKey};
use crate::store::Store;
use crate::verify::{self, VerifyReport};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// How often a read is repeated when another writer changed the record while it was being read.
const READ_ATTEMPTS: usize = 5;

/// The trail's state a document was generated from: its head, and `verify`'s verdict at that moment.
#[derive(Debug, Clone)]
pub struct Integrity {
    pub head_seq: i64,
    pub head_hash: String,
    pub verify: VerifyReport,
    /// The head signed with this installation's key as of the generation instant (see [`Integrity::sealed`]).
    pub seal: Option<Seal>,
}

impl Integrity {
    /// The first 12 hex digits of the head, as the page footers print it.
    pub fn short_head(&self) -> &str {
        &self.head_hash[..self.head_hash.len().min(12)]
    }

    /// `SEQ:HASH`, the anchor a reader can quote to check the trail still extends this head.
    pub fn anchor(&self) -> String {
        format!("{}:{}", self.head_seq, self.head_hash)
    }

    /// The same, with the head sealed as of `at` (the same head, instant and key give the same seal).
    pub fn sealed(mut self, at: DateTime<Utc>, reason: &str) -> Result<Integrity> {
        let head = Head { seq: self.head_seq, hash: self.head_hash.clone() };
        self.seal = Some(SealKey::load_or_create()?.seal(&head, at, reason));
        Ok(self)
    }
}

/// One incident as a document sees it.
#[derive(Debug, Clone)]
pub struct Dossier {
    pub incident: Incident,
    /// The user's zone: every time in the document is written in it (regulatory clocks also in the authority's).
    pub zone: Tz,
    pub people: Vec<Person>,
    pub severity: Vec<SeverityAssessment>,
    pub overrides: Vec<Override>,
    pub pauses: Vec<PauseAction>,
    pub containment: Vec<ContainmentLine>,
    pub playbooks: Vec<PlaybookView>,
    pub evidence_kinds: Vec<EvidenceKindState>,
    pub evidence_files: Vec<EvidenceFile>,
    pub custody: Vec<CustodyEvent>,
    /// Every affected object, oldest first.
    pub objects: Vec<AffectedObject>,
    pub object_counts: ObjectCounts,
    pub recovery_log: Vec<RecoveryLogEntry>,
    pub audit_answers: Vec<QuestionAnswer>,
    pub communications: Vec<CommunicationView>,
    pub clocks: IncidentClocks,
    pub postmortem: PostmortemView,
    pub reenable: ReenableView,
    pub guidance: Guidance,
    pub integrity: Integrity,
    /// Who changed the incident's own fields (the timeline names them: "Status set to contained by …").
    pub editors: BTreeSet<String>,
}

impl Dossier {
    /// Reads the incident `key` as it stands at `at` (clock states are computed for that instant).
    pub fn read(store: &Store, key: &str, at: DateTime<Utc>) -> Result<Dossier> {
        consistent(store, |store| Dossier::read_once(store, key, at))
    }

    fn read_once(store: &Store, key: &str, at: DateTime<Utc>) -> Result<Dossier> {
        let incident = incident::get(store, key)?;
        let key = incident.id.as_str();
        let all = ObjectQuery { limit: None, ..ObjectQuery::default() };
        Ok(Dossier {
            zone: user_zone(store)?,
            people: people::list(store)?,
            severity: severity::history(store, key)?,
            overrides: overrides::list(store, key)?,
            pauses: pause::list(store, key)?,
            containment: containment::list(store, key)?,
            playbooks: playbook::playbooks_for(store, key)?,
            evidence_kinds: evidence::items(store, key)?,
            evidence_files: evidence::files(store, key)?,
            custody: evidence::custody(store, key)?,
            objects: affected::list(store, key, &all)?.rows,
            object_counts: affected::counts(store, key)?,
            recovery_log: affected::incident_recovery_log(store, key)?,
            audit_answers: affected::answers(store, key)?,
            communications: communication::matrix(store, key)?,
            clocks: notification::clocks(store, key, at)?,
            postmortem: postmortem::view(store, key)?,
            reenable: reenable::view(store, key)?,
            guidance: guidance::guidance(store, key)?,
            integrity: integrity(store)?,
            editors: incident::history(store, key)?.into_iter().map(|e| e.actor).collect(),
            incident,
        })
    }

    /// Every person's name the record holds in a field (owners, actors, approvers), and the generating actor's:
    /// what the external copy must name by role.
    pub fn names(&self, actor: &Actor) -> BTreeSet<String> {
        let f = &self.incident.fields;
        let mut names: Vec<&str> = vec![&actor.name, &f.commander, &f.business_owner, &f.technical_owner];
        names.extend(self.severity.iter().map(|a| a.assessed_by.as_str()));
        names.extend(self.overrides.iter().map(|o| o.overridden_by.as_str()));
        for p in &self.pauses {
            names.push(&p.approved_by);
            names.extend(p.lifted_by.as_deref());
        }
        names.extend(self.containment.iter().filter_map(|c| c.done_by.as_deref()));
        names.extend(
            self.playbooks.iter().flat_map(|p| p.steps.iter().filter_map(|s| s.state.as_ref()?.done_by.as_deref())),
        );
        names.extend(self.evidence_files.iter().map(|e| e.collected_by.as_str()));
        names.extend(self.custody.iter().map(|c| c.by.as_str()));
        for o in &self.objects {
            names.push(&o.recovery_owner);
            names.extend(o.verified_by.as_deref());
        }
        names.extend(self.recovery_log.iter().map(|e| e.by.as_str()));
        for c in self.communications.iter().filter_map(|c| c.communication.as_ref()) {
            names.push(&c.owner);
            names.extend(c.approved_by.as_deref());
        }
        for r in &self.clocks.regimes {
            names.extend(r.triggers.iter().map(|t| t.decided_by.as_str()));
            names.extend(r.decision.as_ref().and_then(|d| d.decided_by.as_deref()));
            for s in &r.stages {
                names.extend(s.due_override.as_ref().map(|o| o.decided_by.as_str()));
                for n in &s.notifications {
                    names.extend(n.approved_by.as_deref());
                    names.extend(n.submitted_by.as_deref());
                }
            }
        }
        names.extend(self.postmortem.remediation.iter().map(|r| r.owner.as_str()));
        names.extend(self.reenable.signoffs.iter().map(|s| s.approver.as_str()));
        names.extend(self.editors.iter().map(String::as_str));
        names.into_iter().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect()
    }
}

/// The user's zone, from the profile (UTC when none is saved or it is unknown).
pub(crate) fn user_zone(store: &Store) -> Result<Tz> {
    Ok(crate::profile::get(store)?
        .map(|p| p.timezone)
        .unwrap_or_else(crate::profile::system_zone)
        .parse()
        .unwrap_or(Tz::UTC))
}

/// The trail's head and verdict now.
pub(crate) fn integrity(store: &Store) -> Result<Integrity> {
    let verify = verify::verify(store)?;
    let head = Head::read(&store.connect()?)?;
    Ok(Integrity { head_seq: head.seq, head_hash: head.hash, verify, seal: None })
}

/// Runs `read` until the audit head is the same before and after it, so everything read belongs to one state of
/// the record even while the desktop app or a script writes meanwhile.
pub(crate) fn consistent<T>(store: &Store, read: impl Fn(&Store) -> Result<T>) -> Result<T> {
    for _ in 0..READ_ATTEMPTS {
        let before = Head::read(&store.connect()?)?;
        let value = read(store)?;
        if Head::read(&store.connect()?)? == before {
            return Ok(value);
        }
    }
    Err(Error::Conflict {
        message: "The record kept changing while the document was being prepared (someone else is editing it). \
                  Try again in a moment."
            .into(),
    })
}
