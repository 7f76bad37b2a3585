//! Snapshot overlays: a delta file that `extends` a base, merged by key,
//! id and name, with `[remove]`, chains, cycles, positions in the right
//! file, and `NAME@DATE` evaluation.

use std::path::{Path, PathBuf};

use sendapi_spec::{Compiled, Error, Platform, Spec, load_path, resolve, resolve_path};
use serde_json::{Value, json};

const HEAD: &str = r#"format = 1
extends = "v26.0"

[snapshot]
name = "v27.0"
graph_version = "v27.0"
as_of = 2026-11-23
released = 2026-11-20
doc = "Graph v27.0 as a team read the changelog."
source = "CHG-GRAPH"
"#;

/// A folder of delta files, removed when the test ends.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("sendapi-overlay-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn delta(name: &str, body: &str) -> (Dir, PathBuf) {
    let dir = Dir::new(name);
    let path = dir.file("v27.0.toml", &format!("{HEAD}\n{body}"));
    (dir, path)
}

fn load(name: &str, body: &str) -> Spec {
    let (_dir, path) = delta(name, body);
    load_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn lint_problems(name: &str, body: &str) -> (PathBuf, Vec<sendapi_spec::Problem>) {
    let (dir, path) = delta(name, body);
    let problems = match load_path(&path) {
        Err(Error::Lint { problems, .. }) => problems,
        Err(other) => panic!("expected lint problems, got {other}"),
        Ok(_) => panic!("expected lint problems, the delta loaded"),
    };
    std::mem::forget(dir);
    (path, problems)
}

fn rules_broken(spec: Spec, body: &Value, platform: Platform) -> Vec<String> {
    let compiled = Compiled::new(spec);
    compiled
        .engine()
        .validate(body, platform)
        .errors()
        .map(|v| v.rule.clone())
        .collect()
}

fn tagged(tag: &str) -> Value {
    json!({
        "recipient": {"id": "1254459154682919"},
        "messaging_type": "MESSAGE_TAG",
        "tag": tag,
        "message": {"text": "Your agent has replied"}
    })
}

fn quick_replies(n: usize) -> Value {
    let replies: Vec<Value> = (0..n)
        .map(|i| json!({"content_type": "text", "title": format!("r{i}"), "payload": format!("p{i}")}))
        .collect();
    json!({
        "recipient": {"id": "1254459154682919"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Pick one", "quick_replies": replies}
    })
}

/// Line (1-based) of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

#[test]
fn a_delta_carries_its_own_snapshot_and_the_base_everything_else() {
    let spec = load("head", "");
    assert_eq!(spec.name(), "v27.0");
    assert_eq!(spec.graph_version(), "v27.0");
    let base = resolve("v26.0").unwrap();
    assert_eq!(spec.rules().len(), base.rules().len());
    assert_eq!(spec.types().count(), base.types().count());
    assert!(
        sendapi_spec::diff(&base, &spec)
            .iter()
            .all(|c| c.subject == "snapshot")
    );
}

#[test]
fn a_table_item_merges_key_by_key() {
    let spec = load(
        "tables",
        "[types.Tag.values.HUMAN_AGENT]\nrefused_since = 2026-11-01\nreplacement = \"a utility message\"\n",
    );
    let human = &spec.type_def("Tag").unwrap().values["HUMAN_AGENT"];
    assert_eq!(human.replacement.as_deref(), Some("a utility message"));
    // Keys the delta did not give are the base's.
    let base = resolve("v26.0").unwrap();
    assert_eq!(
        human.doc,
        base.type_def("Tag").unwrap().values["HUMAN_AGENT"].doc
    );
    assert_eq!(
        rules_broken(spec, &tagged("HUMAN_AGENT"), Platform::Messenger),
        ["request.tag.refused_since"]
    );
}

#[test]
fn a_rule_merges_by_id_and_a_new_id_is_appended_last() {
    let spec = load(
        "rules",
        r#"
[[rules]]
id = "message.quick_replies.items"
max = 10

[[rules]]
id = "message.text.no_shouting"
kind = "pattern"
on = "Message"
path = "text"
pattern = "^[^A-Z]*$"
pattern_name = "lower-case text"
severity = "warning"
evidence = "?"
message = "the text has capital letters"
fix = "write it in lower case"
source = "REF"
code = 100
"#,
    );
    assert_eq!(spec.rules().last().unwrap().id, "message.text.no_shouting");
    let rule = spec.rule("message.quick_replies.items").unwrap();
    assert_eq!(
        rule.message,
        "{count} quick replies; at most {max} are allowed"
    );
    assert_eq!(
        rules_broken(spec.clone(), &quick_replies(11), Platform::Messenger),
        ["message.quick_replies.items"]
    );
    assert!(rules_broken(spec, &quick_replies(10), Platform::Messenger).is_empty());
}

#[test]
fn an_error_merges_by_name_and_a_new_name_is_appended() {
    let spec = load(
        "errors",
        r#"
[[errors]]
rust = "ApiUnknown"
retry = "never"

[[errors]]
code = 100
subcode = 9999001
rust = "TeamOnly"
doc = "An answer the team saw in v27.0."
retry = "never"
source = "CHG-GRAPH"
evidence = "?"
"#,
    );
    let errors = &spec.file().errors;
    let unknown = errors
        .iter()
        .find(|e| e.rust.get_ref() == "ApiUnknown")
        .unwrap();
    assert_eq!(unknown.retry, sendapi_spec::model::RetryClass::Never);
    assert_eq!(unknown.doc, "Unknown API error, possibly downtime.");
    assert_eq!(errors.last().unwrap().rust.get_ref(), "TeamOnly");
}

#[test]
fn remove_drops_each_kind_of_item() {
    let spec = load(
        "remove",
        r#"
[remove]
values = ["NotificationType.NO_PUSH"]
rules = ["message.quick_replies.items"]
errors = ["ApiUnknown"]
keys = ["types.Tag.values.ACCOUNT_UPDATE.refused_since", "types.Tag.values.ACCOUNT_UPDATE.replacement", "rules.quick_reply.platform.note"]
"#,
    );
    assert!(
        !spec
            .type_def("NotificationType")
            .unwrap()
            .values
            .contains_key("NO_PUSH")
    );
    assert!(spec.rule("message.quick_replies.items").is_none());
    assert!(
        !spec
            .file()
            .errors
            .iter()
            .any(|e| e.rust.get_ref() == "ApiUnknown")
    );
    let account = &spec.type_def("Tag").unwrap().values["ACCOUNT_UPDATE"];
    assert_eq!(account.refused_since, None);
    assert_eq!(
        spec.file()
            .rules
            .iter()
            .find(|r| r.id.get_ref() == "quick_reply.platform")
            .unwrap()
            .note,
        None
    );
    assert!(rules_broken(spec.clone(), &quick_replies(20), Platform::Messenger).is_empty());
    assert!(rules_broken(spec, &tagged("ACCOUNT_UPDATE"), Platform::Messenger).is_empty());
}

#[test]
fn remove_drops_fields_variants_types_and_rate_classes() {
    let spec = load(
        "remove-more",
        r#"
[remove]
fields = ["SendRequest.persona_id"]
variants = ["TemplatePayload.image_grid"]
rate_classes = ["audio_video"]
types = ["ImageGridTemplate", "ImageGridElement", "GridImage", "GridAction", "GridUrlAction", "GridPostbackAction", "GridButton"]
rules = ["image_grid.elements.items", "image_grid.images.items", "image_grid.title.max_len", "image_grid.subtitle.max_len", "image_grid.buttons.items", "image_grid.one_hero"]
"#,
    );
    assert!(
        !spec
            .type_def("SendRequest")
            .unwrap()
            .fields
            .contains_key("persona_id")
    );
    assert!(spec.type_def("ImageGridTemplate").is_none());
    assert!(!spec.file().rate_classes.contains_key("audio_video"));
    let body = json!({
        "recipient": {"id": "1254459154682919"},
        "messaging_type": "RESPONSE",
        "persona_id": "1",
        "message": {"text": "hi"}
    });
    assert_eq!(
        rules_broken(spec, &body, Platform::Messenger),
        ["body.unknown_field"]
    );
}

#[test]
fn removing_what_the_base_lacks_is_an_error_at_the_name() {
    let body =
        "[remove]\nvalues = [\"Tag.NOPE\"]\nrules = [\"no.such.rule\"]\nwhatever = [\"x\"]\n";
    let (path, problems) = lint_problems("remove-missing", body);
    let text = std::fs::read_to_string(&path).unwrap();
    let file = path.display().to_string();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems.iter().all(|p| p.file == file));
    let value = problems
        .iter()
        .find(|p| p.message.contains("NOPE"))
        .unwrap();
    assert_eq!(value.line, line_of(&text, "Tag.NOPE"));
    assert_eq!(value.column, 11);
    assert!(
        value
            .message
            .contains("the base's type `Tag` has no value `NOPE`"),
        "{}",
        value.message
    );
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("the base has no rule `no.such.rule`"))
    );
    let unknown = problems
        .iter()
        .find(|p| p.message.contains("whatever"))
        .unwrap();
    assert!(
        unknown.message.contains("expected one of"),
        "{}",
        unknown.message
    );
}

#[test]
fn a_chain_of_two_deltas_applies_in_order() {
    let dir = Dir::new("chain");
    dir.file(
        "v27.0.toml",
        &format!("{HEAD}\n[[rules]]\nid = \"message.quick_replies.items\"\nmax = 10\n"),
    );
    let top = dir.file(
        "team.toml",
        "format = 1\nextends = \"v27.0.toml\"\n\n[snapshot]\nname = \"team\"\ngraph_version = \"v27.0\"\nas_of = 2026-11-23\n\n[[rules]]\nid = \"message.quick_replies.items\"\nmax = 5\n",
    );
    let spec = load_path(&top).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.name(), "team");
    // The middle delta's released date and doc are inherited.
    assert_eq!(
        spec.file().snapshot.doc,
        "Graph v27.0 as a team read the changelog."
    );
    assert_eq!(
        rules_broken(spec.clone(), &quick_replies(6), Platform::Messenger),
        ["message.quick_replies.items"]
    );
    assert!(rules_broken(spec, &quick_replies(5), Platform::Messenger).is_empty());
}

#[test]
fn a_cycle_is_refused_at_its_extends() {
    let dir = Dir::new("cycle");
    let a = dir.file("a.toml", "format = 1\nextends = \"b.toml\"\n");
    dir.file("b.toml", "format = 1\n\nextends = \"a.toml\"\n");
    let Err(Error::Lint { problems, .. }) = load_path(&a) else {
        panic!("a cycle must not load");
    };
    assert_eq!(problems.len(), 1);
    let p = &problems[0];
    assert!(p.file.ends_with("b.toml"), "{p}");
    assert_eq!((p.line, p.column), (3, 11));
    assert!(p.message.contains("cycle"), "{p}");
}

#[test]
fn extends_latest_and_unknown_bases_are_refused() {
    let dir = Dir::new("latest");
    let path = dir.file("d.toml", &HEAD.replace("\"v26.0\"", "\"latest\""));
    let err = load_path(&path).unwrap_err().to_string();
    assert!(err.contains("`extends = \"latest\"` is refused"), "{err}");
    assert!(err.contains("d.toml:2:11"), "{err}");
    let path = dir.file("e.toml", &HEAD.replace("\"v26.0\"", "\"v99.0\""));
    let err = load_path(&path).unwrap_err().to_string();
    assert!(err.contains("cannot read"), "{err}");
    assert!(err.contains("bundled snapshots are v21.0, v26.0"), "{err}");
}

#[test]
fn a_delta_must_name_its_own_snapshot() {
    let dir = Dir::new("no-snapshot");
    let path = dir.file(
        "d.toml",
        "format = 1\nextends = \"v26.0\"\n\n[snapshot]\ngraph_version = \"v27.0\"\n",
    );
    let err = load_path(&path).unwrap_err().to_string();
    assert!(err.contains("d.toml:4:1"), "{err}");
    assert!(err.contains("`name` and `as_of`"), "{err}");
}

#[test]
fn lint_problems_point_into_the_delta_or_the_base() {
    // A bad key in the delta's own rule: reported in the delta.
    let body = "[[rules]]\nid = \"message.quick_replies.items\"\nmax = \"ten\"\n";
    let (path, problems) = lint_problems_parse("bad-value", body);
    assert!(
        problems.starts_with(&format!(
            "{}:{}:7",
            path.display(),
            line_of(&format!("{HEAD}\n{body}"), "max = ")
        )),
        "{problems}"
    );

    // Removing a type the base still uses: reported where the base uses it.
    let (_, problems) = lint_problems("dangling", "[remove]\ntypes = [\"QuickReply\"]\n");
    let base = sendapi_spec::V26_TOML;
    let used = problems
        .iter()
        .find(|p| p.message.contains("QuickReply"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert_eq!(used.file, "v26.0.toml");
    assert_eq!(used.line, line_of(base, "type = \"[QuickReply]\""));
}

fn lint_problems_parse(name: &str, body: &str) -> (PathBuf, String) {
    let (dir, path) = delta(name, body);
    let err = load_path(&path).unwrap_err().to_string();
    std::mem::forget(dir);
    (path, err)
}

#[test]
fn advice_that_names_a_refused_value_is_a_warning() {
    let spec = load(
        "advice",
        "[types.Tag.values.HUMAN_AGENT]\nrefused_since = 2026-11-01\nreplacement = \"a utility message\"\n",
    );
    let warnings = spec.lint_warnings();
    let platform = warnings
        .iter()
        .find(|w| w.message.contains("`request.tag.platform`"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert_eq!(platform.file, "v26.0.toml");
    assert_eq!(
        platform.line,
        line_of(sendapi_spec::V26_TOML, "id = \"request.tag.platform\"")
    );
    assert!(
        platform
            .message
            .contains("recommends `HUMAN_AGENT`, which this snapshot refuses since 2026-11-01")
    );
    // The bundled snapshots give no such advice.
    assert!(resolve("v26.0").unwrap().lint_warnings().is_empty());
    assert!(resolve("v21.0").unwrap().lint_warnings().is_empty());
}

#[test]
fn resolve_prints_a_loadable_spec_without_extends() {
    let (dir, path) = delta(
        "resolve",
        "[[rules]]\nid = \"message.quick_replies.items\"\nmax = 10\n\n[remove]\nvalues = [\"NotificationType.NO_PUSH\"]\n",
    );
    let text = resolve_path(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(!text.contains("extends ="));
    assert!(!text.contains("[remove]"));
    let flat = dir.file("flat.toml", &text);
    let flat = load_path(&flat).unwrap_or_else(|e| panic!("{e}"));
    let merged = load_path(&path).unwrap();
    assert!(sendapi_spec::diff(&merged, &flat).is_empty());
    assert_eq!(
        rules_broken(flat, &quick_replies(11), Platform::Messenger),
        ["message.quick_replies.items"]
    );
}

#[test]
fn a_spec_at_an_earlier_date_lacks_what_came_later() {
    let old = resolve("v26.0@2024-10-02").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(old.name(), "v26.0@2024-10-02");
    assert!(
        !old.type_def("MessagingType")
            .unwrap()
            .values
            .contains_key("UTILITY")
    );
    assert!(
        !old.type_def("Message")
            .unwrap()
            .fields
            .contains_key("sticker_id")
    );
    let utility = json!({
        "recipient": {"id": "1254459154682919"},
        "messaging_type": "UTILITY",
        "message": {"template": {"name": "order_update", "language": {"code": "en_US"}}}
    });
    assert!(!rules_broken(old.clone(), &utility, Platform::Messenger).is_empty());
    assert!(rules_broken(resolve("v26.0").unwrap(), &utility, Platform::Messenger).is_empty());
    // A refusal is enforced from its date on.
    let before = resolve("v26.0@2026-04-26").unwrap();
    let on = resolve("v26.0@2026-04-27").unwrap();
    assert!(rules_broken(before, &tagged("ACCOUNT_UPDATE"), Platform::Messenger).is_empty());
    assert_eq!(
        rules_broken(on, &tagged("ACCOUNT_UPDATE"), Platform::Messenger),
        ["request.tag.refused_since"]
    );
}

#[test]
fn every_bundled_snapshot_loads_on_both_sides_of_each_of_its_dates() {
    for name in ["v21.0", "v26.0"] {
        let spec = resolve(name).unwrap();
        let f = spec.file();
        let mut dates: Vec<sendapi_spec::Date> = f
            .types
            .values()
            .flat_map(|t| {
                t.fields
                    .values()
                    .filter_map(|x| x.since)
                    .chain(
                        t.variants
                            .values()
                            .flat_map(|x| [x.since, x.refused_since])
                            .flatten(),
                    )
                    .chain(
                        t.values
                            .values()
                            .flat_map(|x| [x.since, x.refused_since])
                            .flatten(),
                    )
            })
            .chain(f.rules.iter().filter_map(|r| r.since))
            .chain(f.errors.iter().filter_map(|e| e.since))
            .collect();
        dates.sort();
        dates.dedup();
        assert!(!dates.is_empty());
        for d in dates {
            let day_before = sendapi_spec::Date::from_days(d.days() - 1);
            for at in [day_before, d] {
                Compiled::resolve(&format!("{name}@{at}"))
                    .unwrap_or_else(|e| panic!("{name}@{at}: {e}"));
            }
        }
    }
}

#[test]
fn a_bad_or_later_date_is_refused() {
    let err = resolve("v26.0@2026-02-30").unwrap_err().to_string();
    assert!(err.contains("not a calendar date"), "{err}");
    let err = resolve("v26.0@2099-01-01").unwrap_err().to_string();
    assert!(err.contains("knows nothing of later dates"), "{err}");
    // An `@` that is not followed by a date belongs to a path.
    let err = resolve("team@home/spec.toml").unwrap_err().to_string();
    assert!(err.contains("team@home/spec.toml"), "{err}");
}

#[test]
fn a_date_on_a_delta_evaluates_the_merged_spec() {
    let (_dir, path) = delta(
        "dated",
        "[types.Tag.values.HUMAN_AGENT]\nrefused_since = 2026-11-01\nreplacement = \"a utility message\"\n",
    );
    let at = format!("{}@2026-10-31", path.display());
    let spec = resolve(&at).unwrap_or_else(|e| panic!("{e}"));
    assert!(rules_broken(spec, &tagged("HUMAN_AGENT"), Platform::Messenger).is_empty());
    let spec = resolve(&path.display().to_string()).unwrap();
    assert!(!rules_broken(spec, &tagged("HUMAN_AGENT"), Platform::Messenger).is_empty());
    assert!(Path::new(&path).exists());
}

#[test]
fn dates_parse_only_real_days_and_count_days_both_ways() {
    use sendapi_spec::Date;
    assert_eq!(
        Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
        Some("2024-02-29")
    );
    for bad in [
        "2023-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-1-01",
        "2026-01-01x",
        "",
        "abcd-ef-gh",
    ] {
        assert_eq!(Date::parse(bad), None, "{bad}");
    }
    let epoch = Date::parse("1970-01-01").unwrap();
    assert_eq!(epoch.days(), 0);
    for text in ["2000-02-29", "2026-04-27", "2027-01-21", "1999-12-31"] {
        let d = Date::parse(text).unwrap();
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(Date::from_days(d.days() + 1).days(), d.days() + 1);
    }
    assert_eq!(
        Date::from_days(Date::parse("2026-02-28").unwrap().days() + 1).to_string(),
        "2026-03-01"
    );
}

fn body_file(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bodies/valid")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn day_before(date: &str) -> String {
    let d = sendapi_spec::Date::parse(date).unwrap();
    sendapi_spec::Date::from_days(d.days() - 1).to_string()
}

fn errors_at(spec: &str, body: &Value) -> Vec<String> {
    rules_broken(
        resolve(spec).unwrap_or_else(|e| panic!("{spec}: {e}")),
        body,
        Platform::Messenger,
    )
}

#[test]
fn each_date_added_item_is_absent_the_day_before_and_present_on_its_date() {
    for (body, since) in [
        ("utility-template.json", "2025-07-29"),
        ("sticker.json", "2026-06-01"),
        ("image-grid.json", "2026-06-30"),
    ] {
        let body = body_file(body);
        for name in ["v21.0", "v26.0"] {
            let before = errors_at(&format!("{name}@{}", day_before(since)), &body);
            assert!(
                !before.is_empty(),
                "{name}: a body using what came on {since} is refused the day before"
            );
            let on = errors_at(&format!("{name}@{since}"), &body);
            assert!(on.is_empty(), "{name}@{since}: {on:?}");
        }
    }
}

#[test]
fn each_refused_tag_is_accepted_the_day_before_and_refused_on_its_date() {
    let v26 = resolve("v26.0").unwrap();
    let tags: Vec<(String, String)> = v26
        .type_def("Tag")
        .unwrap()
        .values
        .iter()
        .filter_map(|(wire, v)| Some((wire.get_ref().clone(), v.refused_since?.to_string())))
        .collect();
    // The three tags of the 2026-04-27 notice; the legacy tags carry no
    // refusal date, which no source gives.
    assert_eq!(tags.len(), 3, "three tags refused in 2026: {tags:?}");
    for (tag, date) in tags {
        for name in ["v21.0", "v26.0"] {
            let before = errors_at(&format!("{name}@{}", day_before(&date)), &tagged(&tag));
            assert!(
                !before.contains(&"request.tag.refused_since".to_string()),
                "{name} {tag} the day before {date}: {before:?}"
            );
            let on = errors_at(&format!("{name}@{date}"), &tagged(&tag));
            assert!(
                on.contains(&"request.tag.refused_since".to_string()),
                "{name} {tag} on {date}: {on:?}"
            );
        }
    }
}

#[test]
fn a_delta_merges_and_removes_webhook_events_and_types() {
    let spec = load(
        "webhooks",
        r#"
[webhooks.events.Reaction]
standby = true

[webhooks.events.Seen]
key = "seen"
type = "Read"
kind = "read"
doc = "A read receipt under a new key."
source = "EVT-READ"

[remove]
webhook_events = ["GamePlay"]
webhook_types = ["GamePlay", "GameContextKind"]
"#,
    );
    let w = spec.webhooks().unwrap();
    assert!(w.events().all(|(name, _)| name != "GamePlay"));
    assert!(w.type_def("GamePlay").is_none());
    assert!(w.type_def("GameContextKind").is_none());
    let (_, reaction) = w.events().find(|(n, _)| *n == "Reaction").unwrap();
    assert!(reaction.standby, "the delta's key replaces the base's");
    assert!(
        reaction.opens_window,
        "keys the delta does not give are kept"
    );
    assert_eq!(w.events().last().map(|(n, _)| n), Some("Seen"));
    let item = json!({"seen": {"watermark": 1}});
    assert_eq!(w.kind_of(&item), sendapi_spec::EventKind::Read);
}

#[test]
fn removing_a_webhook_event_the_base_lacks_is_reported_in_the_delta() {
    let body = "\n[remove]\nwebhook_events = [\"Nope\"]\n";
    let (path, problems) = lint_problems("webhooks-missing", body);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert_eq!(p.line, line_of(&text, "\"Nope\""));
    assert!(
        p.message
            .contains("[remove] `webhook_events`: the base has no webhook event `Nope`"),
        "{}",
        p.message
    );
}

#[test]
fn a_webhook_lint_problem_in_a_delta_names_the_delta() {
    let body = "\n[webhooks.events.Reaction]\ndedupe = { watermark = \"mid\" }\n";
    let (path, problems) = lint_problems("webhooks-lint", body);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert!(p.file.ends_with("v27.0.toml"), "{}", p.file);
    assert_eq!(p.line, line_of(&text, "dedupe = { watermark"));
    assert_eq!(p.column, 24);
    assert!(
        p.message
            .contains("dedupe path `mid` must lead to an integer field of `Reaction`"),
        "{}",
        p.message
    );
}
