//! The lint, one test per check: each edits the bundled v26.0 text in one
//! place and expects exactly one problem, at the line and column of what the
//! edit broke, with a message saying what is wrong.

mod common;

use common::{
    assert_problem, edit, edit_rule, line_col, lint_problems, parse_problem, pos, remove_rule,
    rule_block,
};
use sendapi_spec::{Error, PLACEHOLDERS, V21_TOML, V26_TOML, load_str};

/// The one problem of an edited spec.
#[track_caller]
fn one_problem(text: &str) -> sendapi_spec::Problem {
    let mut problems = lint_problems("edited.toml", text);
    assert_eq!(problems.len(), 1, "expected one problem: {problems:#?}");
    problems.remove(0)
}

#[test]
fn both_bundled_snapshots_lint_clean() {
    for (name, text) in [("v21.0", V21_TOML), ("v26.0", V26_TOML)] {
        if let Err(e) = load_str(name, text) {
            panic!("bundled {name} does not load: {e}");
        }
    }
    assert!(sendapi_spec::bundled("v21.0").is_ok());
    assert!(sendapi_spec::bundled("v26.0").is_ok());
}

#[test]
fn unknown_type_reference_suggests_the_closest_type() {
    let from = "fields.buttons = { rust = \"buttons\", type = \"[Button]\", doc = \"Up to three buttons.\", source = \"TPL-GEN\" }";
    let text = edit(V26_TOML, from, &from.replace("[Button]", "[Buton]"));
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"[Buton]\""),
        &[
            "unknown type `Buton`",
            "expected a type from [types]",
            "did you mean `Button`?",
        ],
    );
}

#[test]
fn unknown_type_in_a_rule_on_suggests_the_closest_type() {
    let text = edit_rule(V26_TOML, "button.game_play.one_target", |b| {
        b.replace("on = \"GameMetadata\"", "on = \"GameMetadta\"")
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"GameMetadta\""),
        &[
            "rule `button.game_play.one_target`",
            "unknown type `GameMetadta`",
            "did you mean `GameMetadata`?",
        ],
    );
}

#[test]
fn unknown_field_in_a_rule_fields_list() {
    let text = edit(
        V26_TOML,
        "fields = [\"player_id\", \"context_id\"]",
        "fields = [\"player_id\", \"contxt_id\"]",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"contxt_id\""),
        &[
            "rule `button.game_play.one_target`",
            "`contxt_id` is not a field of `GameMetadata`",
            "did you mean `context_id`?",
        ],
    );
}

#[test]
fn bad_path_in_a_rule_names_the_segment() {
    let text = edit(
        V26_TOML,
        "path = \"images[*].is_hero_image\"",
        "path = \"images[*].is_hero\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"images[*].is_hero\""),
        &[
            "rule `image_grid.one_hero`",
            "`is_hero` is not a field of `images[*]` (from `ImageGridElement`)",
        ],
    );
}

#[test]
fn path_through_an_array_without_wildcard_is_refused() {
    let text = edit(
        V26_TOML,
        "path = \"images[*].is_hero_image\"",
        "path = \"images.is_hero_image\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"images.is_hero_image\""),
        &["`is_hero_image` is not a field of `images` (from `ImageGridElement`)"],
    );
}

#[test]
fn malformed_path_syntax_is_refused() {
    let text = edit(
        V26_TOML,
        "path = \"images[*].is_hero_image\"",
        "path = \"images[0].is_hero_image\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"images[0].is_hero_image\""),
        &[
            "rule `image_grid.one_hero`",
            "expected `[*]` after `images`",
        ],
    );
}

#[test]
fn duplicate_rule_id_is_reported_on_the_second_rule() {
    let text = edit(
        V26_TOML,
        "id = \"button.call.title.max_len\"",
        "id = \"button.url.title.max_len\"",
    );
    let p = one_problem(&text);
    let second = text.rfind("\"button.url.title.max_len\"").unwrap();
    assert_ne!(second, text.find("\"button.url.title.max_len\"").unwrap());
    assert_problem(
        &p,
        line_col(&text, second),
        &["duplicate rule id `button.url.title.max_len`"],
    );
}

#[test]
fn unknown_rule_kind_is_a_parse_error_listing_the_kinds() {
    let text = edit(
        V26_TOML,
        "kind = \"at_most_one_of\"",
        "kind = \"at_most_one\"",
    );
    let p = parse_problem("edited.toml", &text);
    assert_problem(
        &p,
        pos(&text, "\"at_most_one\""),
        &[
            "unknown variant `at_most_one`",
            "`at_most_one_of`",
            "`refused_since`",
        ],
    );
}

#[test]
fn max_len_without_max_is_refused_at_the_kind() {
    let text = edit_rule(V26_TOML, "button_template.text.max_len", |b| {
        b.replace("max = 640\n", "")
    });
    let p = one_problem(&text);
    let block = text.find("id = \"button_template.text.max_len\"").unwrap();
    let kind = block + text[block..].find("\"max_len\"").unwrap();
    assert_problem(
        &p,
        line_col(&text, kind),
        &["rule `button_template.text.max_len` of kind `max_len`: expected `max`, found none"],
    );
}

#[test]
fn items_without_bounds_is_refused_at_the_kind() {
    let text = edit_rule(V26_TOML, "image_grid.images.items", |b| {
        b.replace("min = 2\nmax = 6\n", "")
    });
    let p = one_problem(&text);
    let block = text.find("id = \"image_grid.images.items\"").unwrap();
    let kind = block + text[block..].find("\"items\"").unwrap();
    assert_problem(
        &p,
        line_col(&text, kind),
        &["rule `image_grid.images.items` of kind `items`: expected `min` or `max`, found none"],
    );
}

#[test]
fn error_severity_with_third_party_evidence_needs_a_basis() {
    let text = edit_rule(V26_TOML, "recipient.exactly_one", |b| {
        let basis = b.lines().find(|l| l.starts_with("basis = ")).unwrap();
        b.replace(&format!("{basis}\n"), "")
    });
    let p = one_problem(&text);
    let block = text.find("id = \"recipient.exactly_one\"").unwrap();
    let sev = block + text[block..].find("\"error\"").unwrap();
    assert_problem(
        &p,
        line_col(&text, sev),
        &[
            "rule `recipient.exactly_one`",
            "evidence `X` gives a warning, found severity error",
            "`basis`",
        ],
    );
}

#[test]
fn error_severity_with_unconfirmed_evidence_needs_a_basis() {
    let text = edit_rule(V26_TOML, "request.message_tag.requires_tag", |b| {
        let basis = b.lines().find(|l| l.starts_with("basis = ")).unwrap();
        b.replace(&format!("{basis}\n"), "")
    });
    let p = one_problem(&text);
    let block = text
        .find("id = \"request.message_tag.requires_tag\"")
        .unwrap();
    let sev = block + text[block..].find("\"error\"").unwrap();
    assert_problem(
        &p,
        line_col(&text, sev),
        &[
            "rule `request.message_tag.requires_tag`",
            "evidence `?` gives a warning",
        ],
    );
}

#[test]
fn unknown_placeholder_in_a_message() {
    let text = edit(
        V26_TOML,
        "message = \"{count} buttons; a button template has {min} to {max}\"",
        "message = \"{cnt} buttons; a button template has {min} to {max}\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"button_template.buttons.items\""),
        &[
            "rule `button_template.buttons.items` message",
            "unknown placeholder `{cnt}`",
            "expected one of field, path, value",
        ],
    );
    for name in PLACEHOLDERS {
        assert!(p.message.contains(name), "{name}");
    }
}

#[test]
fn unclosed_brace_in_a_fix() {
    let text = edit_rule(V26_TOML, "image_grid.images.items", |b| {
        b.replace(
            "fix = \"use between {min} and {max} images\"",
            "fix = \"use between {min and {max} images\"",
        )
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"image_grid.images.items\""),
        &[
            "rule `image_grid.images.items` fix",
            "unknown placeholder `{min and {max}`",
        ],
    );
}

#[test]
fn invalid_regex_in_pattern() {
    let text = edit(
        V26_TOML,
        "pattern = '^\\+[0-9]+$'",
        "pattern = '^\\+[0-9+$'",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "'^\\+[0-9+$'"),
        &[
            "rule `button.call.payload.format`",
            "`pattern` is not a valid regular expression",
            // regex-lite's reason.
            "character class has no closing bracket",
        ],
    );
}

#[test]
fn keyed_type_needs_its_exactly_one_of_rule() {
    let text = remove_rule(V26_TOML, "media.exactly_one_source");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "MediaPayload]"),
        &[
            "keyed type `MediaPayload`",
            "expected an error-severity `exactly_one_of` rule over its keys (attachment_id, filedata, url)",
        ],
    );
}

#[test]
fn keyed_type_rule_must_be_an_error() {
    let text = edit_rule(V26_TOML, "media.exactly_one_source", |b| {
        b.replace("severity = \"error\"", "severity = \"warning\"")
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "MediaPayload]"),
        &[
            "keyed type `MediaPayload`",
            "error-severity `exactly_one_of`",
        ],
    );
}

#[test]
fn carried_field_needs_requires_rules_both_ways() {
    // MESSAGE_TAG carries `tag`: without the rule MESSAGE_TAG -> tag, only
    // the rule tag -> MESSAGE_TAG is left.
    let text = remove_rule(V26_TOML, "request.message_tag.requires_tag");
    let p = one_problem(&text);
    let carries = text.find("carries = { field = \"tag\" }").unwrap();
    let field = carries + "carries = { field = ".len();
    assert_problem(
        &p,
        line_col(&text, field),
        &[
            "value `MESSAGE_TAG` carries `tag` on `SendRequest`",
            "expected error-severity `requires` rules both ways",
            "found only the first",
        ],
    );

    let text = remove_rule(V26_TOML, "request.tag.requires_message_tag");
    let p = one_problem(&text);
    assert_eq!((p.line, p.column), line_col(&text, field));
    assert!(p.message.contains("found only the second"), "{p}");
}

#[test]
fn unreachable_type_is_reported() {
    let orphan = "[types.Orphan]\nkind = \"object\"\ndoc = \"Nothing uses it.\"\nsource = \"REF\"\nfields.x = { rust = \"x\", type = \"string\", doc = \"X.\", source = \"REF\" }\n\n";
    let text = edit(
        V26_TOML,
        "[types.ReplyTo]\n",
        &format!("{orphan}[types.ReplyTo]\n"),
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "Orphan]"),
        &["type `Orphan` is not reachable from any endpoint; use it or remove it"],
    );
}

#[test]
fn rule_code_must_be_in_the_error_table() {
    let text = edit_rule(V26_TOML, "request.message_xor_sender_action", |b| {
        b.replace("subcode = 2018014", "subcode = 2018015")
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"request.message_xor_sender_action\""),
        &[
            "rule `request.message_xor_sender_action` answers with code 100/2018015",
            "not in [[errors]]",
        ],
    );

    let text = edit_rule(V26_TOML, "button.call.payload.format", |b| {
        b.replace("code = 100", "code = 101")
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"button.call.payload.format\""),
        &["answers with code 101, which is not in [[errors]]"],
    );
}

/// `text` with the `[[errors]]` entry named `name` edited by `f`.
fn edit_error(text: &str, name: &str, f: impl FnOnce(&str) -> String) -> String {
    let at = text
        .find(&format!("rust = \"{name}\"\n"))
        .unwrap_or_else(|| panic!("no error {name}"));
    let start = text[..at].rfind("[[errors]]").unwrap();
    let end = at + text[at..].find("\n\n").unwrap();
    let block = &text[start..end];
    let new = f(block);
    assert_ne!(block, new, "the edit of error {name} changed nothing");
    edit(text, block, &new)
}

#[test]
fn a_second_entry_of_a_code_needs_a_message_of_its_own() {
    let text = edit_error(V26_TOML, "AppSecretProofMissing", |b| {
        b.replace(
            "message = \"API calls from the server require an appsecret_proof argument\"\n",
            "",
        )
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"AppSecretProofMissing\""),
        &[
            "duplicate error entry for code 100",
            "needs a `message` of its own",
        ],
    );

    let text = edit_error(V26_TOML, "AppSecretProofInvalid", |b| {
        b.replace(
            "Invalid appsecret_proof provided in the API argument",
            "API calls from the server require an appsecret_proof argument",
        )
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"AppSecretProofInvalid\""),
        &["duplicate error entry for code 100"],
    );

    let text = edit_error(V26_TOML, "PersonUnavailable", |b| {
        b.replace("subcode = 1545041", "subcode = 2018028")
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"PersonUnavailable\""),
        &["duplicate error entry for code 200 subcode 2018028"],
    );
}

#[test]
fn entries_of_one_code_share_the_retry_class() {
    let text = edit_error(V26_TOML, "AppSecretProofInvalid", |b| {
        b.replace("retry = \"never\"", "retry = \"retry\"")
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"AppSecretProofInvalid\""),
        &[
            "error `AppSecretProofInvalid` has retry `retry`",
            "`InvalidParameter` of the same code 100 has `never`",
        ],
    );
}

#[test]
fn an_error_message_is_not_empty() {
    let text = edit_error(V26_TOML, "RateLimited", |b| {
        b.replace(
            "message = \"(#613) Calls to this api have exceeded the rate limit.\"",
            "message = \" \"",
        )
    });
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"RateLimited\""),
        &["error `RateLimited`: `message` is empty"],
    );
}

#[test]
fn field_platforms_need_a_platform_only_rule() {
    let text = remove_rule(V26_TOML, "message.sticker_id.platform");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "sticker_id = { rust"),
        &[
            "field `Message.sticker_id` has `platforms`, but no `platform_only` rule has a path to it",
        ],
    );
}

#[test]
fn value_platforms_need_a_platform_only_rule() {
    let text = remove_rule(V26_TOML, "quick_reply.platform");
    let p = one_problem(&text);
    assert_problem(
        &p,
        {
            let (line, col) = pos(&text, "[types.QuickReply]");
            (line, col + "[types.".len())
        },
        &[
            "values of `QuickReply` have `platforms`, but no `platform_only` rule has a path to `QuickReply`",
        ],
    );
}

#[test]
fn refused_values_need_a_refused_since_rule() {
    let text = remove_rule(V26_TOML, "request.tag.refused_since");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "Tag]\nkind"),
        &["values of `Tag` have `refused_since`, but no `refused_since` rule has a path to `Tag`"],
    );
}

#[test]
fn rust_keyword_as_a_field_name_is_refused() {
    let from = "fields.type = { rust = \"kind\", type = \"DefaultActionType\"";
    let text = edit(V26_TOML, from, &from.replace("\"kind\"", "\"type\""));
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"type\", type = \"DefaultActionType\""),
        &[
            "field `DefaultAction.type`",
            "`type` is a Rust keyword",
            "the wire name stays `type`",
        ],
    );
}

#[test]
fn non_snake_case_rust_name_is_refused() {
    let text = edit(
        V26_TOML,
        "fields.reply_to = { rust = \"reply_to\"",
        "fields.reply_to = { rust = \"replyTo\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"replyTo\""),
        &["field `SendRequest.reply_to`: expected a snake_case Rust name, found `replyTo`"],
    );
}

#[test]
fn duplicate_rust_field_name_is_refused() {
    let text = edit(
        V26_TOML,
        "fields.last_name = { rust = \"last_name\"",
        "fields.last_name = { rust = \"first_name\"",
    );
    let p = one_problem(&text);
    let (line, col) = pos(&text, "fields.last_name = { rust = \"first_name\"");
    assert_problem(
        &p,
        (line, col + "fields.last_name = { rust = ".len()),
        &["duplicate Rust field name `first_name` in `RecipientName`"],
    );
}

#[test]
fn missing_global_rule_is_reported_at_the_start() {
    for (id, kind) in [
        ("body.type", "type"),
        ("body.unknown_field", "unknown_field"),
        ("body.enum_value", "enum_value"),
        ("body.required", "required"),
    ] {
        let text = remove_rule(V26_TOML, id);
        let p = one_problem(&text);
        assert_problem(
            &p,
            (1, 1),
            &[&format!(
                "expected exactly one rule of kind `{kind}`, found 0"
            )],
        );
    }
}

#[test]
fn missing_coercion_and_status_rules_are_reported() {
    let text = remove_rule(V26_TOML, "coerce.enum_alias");
    let p = one_problem(&text);
    assert_problem(
        &p,
        (1, 1),
        &["expected exactly one `coercion` rule with coercion = \"enum_alias\", found 0"],
    );

    let text = remove_rule(V26_TOML, "status.transport");
    let p = one_problem(&text);
    assert_problem(
        &p,
        (1, 1),
        &["items have status `transport`: expected exactly one `status` rule for it, found 0"],
    );
}

#[test]
fn global_rule_takes_no_on() {
    let text = edit_rule(V26_TOML, "body.required", |b| {
        b.replace(
            "kind = \"required\"\n",
            "kind = \"required\"\non = \"Message\"\n",
        )
    });
    let p = one_problem(&text);
    let block = text.find("id = \"body.required\"").unwrap();
    let kind = block + text[block..].find("\"required\"").unwrap();
    assert_problem(
        &p,
        line_col(&text, kind),
        &[
            "rule `body.required` of kind `required` does not take `on` (global kinds apply to every type)",
        ],
    );
}

#[test]
fn unknown_source_key_suggests_the_closest_key() {
    let text = edit(
        V26_TOML,
        "fields.mid = { rust = \"mid\", type = \"id\", required = true, doc = \"Message id of the quoted message, sent by the person or by the Page.\", source = \"REF\" }",
        "fields.mid = { rust = \"mid\", type = \"id\", required = true, doc = \"Message id of the quoted message, sent by the person or by the Page.\", source = \"RFE\" }",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"RFE\""),
        &[
            "expected a source key from [sources] or an https:// link, found `RFE`",
            "did you mean `REF`?",
        ],
    );
}

#[test]
fn condition_value_must_exist() {
    let text = edit_rule(V26_TOML, "request.utility.requires_template", |b| {
        b.replace("equals = \"UTILITY\"", "equals = \"UTILTY\"")
    });
    let p = one_problem(&text);
    let block = text
        .find("id = \"request.utility.requires_template\"")
        .unwrap();
    let path = block + text[block..].find("\"messaging_type\"").unwrap();
    assert_problem(
        &p,
        line_col(&text, path),
        &[
            "rule `request.utility.requires_template`",
            "`UTILTY` is not a value of `messaging_type`",
            "did you mean `UTILITY`?",
        ],
    );
}

#[test]
fn problems_come_in_file_order_and_all_at_once() {
    // Three independent mistakes: all are reported, in the order of the file.
    let text = edit(
        V26_TOML,
        "fields.reply_to = { rust = \"reply_to\"",
        "fields.reply_to = { rust = \"replyTo\"",
    );
    let text = edit(&text, "pattern = '^\\+[0-9]+$'", "pattern = '^\\+[0-9+$'");
    let text = edit(
        &text,
        "fields = [\"player_id\", \"context_id\"]",
        "fields = [\"player_id\", \"contxt_id\"]",
    );
    let problems = lint_problems("many.toml", &text);
    let at: Vec<(usize, usize)> = problems.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(
        at,
        vec![
            pos(&text, "\"replyTo\""),
            pos(&text, "'^\\+[0-9+$'"),
            pos(&text, "\"contxt_id\""),
        ]
    );
    let e = load_str("many.toml", &text).unwrap_err();
    assert!(matches!(&e, Error::Lint { problems, .. } if problems.len() == 3));
    let shown = e.to_string();
    assert!(
        shown.starts_with("many.toml: 3 problems in the spec:\n  many.toml:"),
        "{shown}"
    );
}

// ---------------------------------------------------------------------------
// Gaps: rules the lint accepts although they cannot mean what they say
// ---------------------------------------------------------------------------

/// The one problem of `text`, which must name rule `id` and sit inside its
/// block.
#[track_caller]
fn one_problem_in_rule(text: &str, id: &str) -> sendapi_spec::Problem {
    let p = one_problem(text);
    let start = text.find(&format!("[[rules]]\nid = \"{id}\"")).unwrap();
    let block = rule_block(text, id);
    let first = line_col(text, start).0;
    let last = first + block.matches('\n').count();
    assert!(
        (first..=last).contains(&p.line),
        "problem outside rule {id} (lines {first}..={last}): {p}"
    );
    assert!(p.message.contains(id), "{p}");
    p
}

#[test]
fn items_with_min_above_max_is_refused() {
    let text = edit_rule(V26_TOML, "image_grid.images.items", |b| {
        b.replace("min = 2\nmax = 6", "min = 7\nmax = 6")
    });
    let p = one_problem_in_rule(&text, "image_grid.images.items");
    assert!(
        p.message.contains("min") && p.message.contains("max"),
        "{p}"
    );
    // The same for `range`: no number lies between 8 and 7.
    let id = "button.audio_call.expires_in_days.range";
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace("max = 7\n", "min = 8\nmax = 7\n")
    });
    let p = one_problem_in_rule(&text, id);
    assert!(
        p.message.contains("min") && p.message.contains("max"),
        "{p}"
    );
}

#[test]
fn duplicate_name_in_fields_is_refused() {
    let text = edit(
        V26_TOML,
        "fields = [\"player_id\", \"context_id\"]",
        "fields = [\"player_id\", \"player_id\"]",
    );
    let p = one_problem_in_rule(&text, "button.game_play.one_target");
    assert!(p.message.contains("`player_id`"), "{p}");
}

#[test]
fn empty_applies_to_is_refused() {
    let text = edit_rule(V26_TOML, "message.text.max_len", |b| {
        b.replace("applies_to = [\"messenger\"]", "applies_to = []")
    });
    one_problem_in_rule(&text, "message.text.max_len");
}

#[test]
fn pattern_on_a_non_string_is_refused() {
    let text = edit_rule(V26_TOML, "button.call.payload.format", |b| {
        b.replace(
            "on = \"CallButton\"\npath = \"payload\"",
            "on = \"GridImage\"\npath = \"is_hero_image\"",
        )
    });
    let p = one_problem_in_rule(&text, "button.call.payload.format");
    assert_problem(
        &p,
        kind_at(&text, "button.call.payload.format"),
        &["rule `button.call.payload.format`: `pattern` needs a path to a string"],
    );
}

// ---------------------------------------------------------------------------
// Checks added with the `range` kind and the `matches` condition
// ---------------------------------------------------------------------------

/// Line and column of `needle`'s first occurrence inside rule `id`'s block.
#[track_caller]
fn in_rule(text: &str, id: &str, needle: &str) -> (usize, usize) {
    let start = text.find(&format!("[[rules]]\nid = \"{id}\"\n")).unwrap();
    let within = rule_block(text, id)
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in rule {id}"));
    line_col(text, start + within)
}

/// Where rule `id`'s kind is written (the value, quotes included).
#[track_caller]
fn kind_at(text: &str, id: &str) -> (usize, usize) {
    let (line, col) = in_rule(text, id, "kind = ");
    (line, col + "kind = ".len())
}

#[test]
fn applies_to_on_a_global_kind_is_refused() {
    let text = edit_rule(V26_TOML, "body.required", |b| {
        b.replace(
            "kind = \"required\"\n",
            "kind = \"required\"\napplies_to = [\"instagram\"]\n",
        )
    });
    let p = one_problem_in_rule(&text, "body.required");
    assert_problem(
        &p,
        kind_at(&text, "body.required"),
        &[
            "rule `body.required` of kind `required` does not take `applies_to` (global kinds apply on every platform)",
        ],
    );
}

#[test]
fn min_on_max_len_is_refused() {
    let text = edit_rule(V26_TOML, "message.text.max_len", |b| {
        b.replace("max = 2000\n", "min = 1\nmax = 2000\n")
    });
    let p = one_problem_in_rule(&text, "message.text.max_len");
    assert_problem(
        &p,
        kind_at(&text, "message.text.max_len"),
        &[
            "rule `message.text.max_len` of kind `max_len` does not take `min` (a length has only a maximum)",
        ],
    );
}

#[test]
fn pattern_name_outside_pattern_rules_is_refused() {
    let text = edit_rule(V26_TOML, "message.text.max_len", |b| {
        b.replace(
            "max = 2000\n",
            "max = 2000\npattern_name = \"short text\"\n",
        )
    });
    let p = one_problem_in_rule(&text, "message.text.max_len");
    assert_problem(
        &p,
        kind_at(&text, "message.text.max_len"),
        &["rule `message.text.max_len` of kind `max_len` does not take `pattern_name`"],
    );
}

#[test]
fn range_needs_a_path_to_a_number() {
    let id = "button.audio_call.expires_in_days.range";
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace("path = \"expires_in_days\"", "path = \"title\"")
    });
    let p = one_problem_in_rule(&text, id);
    assert_problem(
        &p,
        kind_at(&text, id),
        &["rule `button.audio_call.expires_in_days.range`: `range` needs a path to a number"],
    );
}

#[test]
fn range_without_bounds_is_refused_at_the_kind() {
    let id = "button.audio_call.expires_in_days.range";
    let text = edit_rule(V26_TOML, id, |b| b.replace("max = 7\n", ""));
    let p = one_problem_in_rule(&text, id);
    assert_problem(
        &p,
        kind_at(&text, id),
        &[
            "rule `button.audio_call.expires_in_days.range` of kind `range`: expected `min` or `max`, found none",
        ],
    );
}

#[test]
fn range_takes_no_unit() {
    let id = "button.audio_call.expires_in_days.range";
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace("max = 7\n", "max = 7\nunit = \"chars\"\n")
    });
    let p = one_problem_in_rule(&text, id);
    assert_problem(
        &p,
        kind_at(&text, id),
        &["of kind `range` does not take `unit`"],
    );
}

#[test]
fn min_and_max_only_on_limit_kinds() {
    let id = "button.url.messenger_extensions.https";
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace("severity = \"error\"", "max = 7\nseverity = \"error\"")
    });
    let p = one_problem_in_rule(&text, id);
    assert_problem(
        &p,
        kind_at(&text, id),
        &[
            "rule `button.url.messenger_extensions.https` of kind `requires` does not take `min` or `max`",
        ],
    );
}

#[test]
fn matches_needs_a_path_to_a_string() {
    let id = "button.url.messenger_extensions.https";
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace(
            "then = { path = \"url\", matches",
            "then = { path = \"webview_height_ratio\", matches",
        )
    });
    let p = one_problem_in_rule(&text, id);
    assert_problem(
        &p,
        in_rule(&text, id, "\"webview_height_ratio\""),
        &["rule `button.url.messenger_extensions.https`: `matches` needs a path to a string"],
    );

    let text = edit_rule(V26_TOML, id, |b| {
        b.replace(
            "then = { path = \"url\", matches",
            "then = { path = \"messenger_extensions\", matches",
        )
    });
    let p = one_problem_in_rule(&text, id);
    let (line, col) = in_rule(&text, id, "then = { path = ");
    assert_problem(
        &p,
        (line, col + "then = { path = ".len()),
        &["`matches` needs a path to a string"],
    );
}

#[test]
fn invalid_regex_in_matches() {
    let id = "default_action.messenger_extensions.https";
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace("matches = '^https://'", "matches = '^https://[a-z'")
    });
    let p = one_problem_in_rule(&text, id);
    assert_problem(
        &p,
        in_rule(&text, id, "'^https://[a-z'"),
        &[
            "rule `default_action.messenger_extensions.https`: `matches` is not a valid regular expression",
            "unclosed character class",
        ],
    );
}

#[test]
fn a_condition_takes_exactly_one_test() {
    let id = "button.url.messenger_extensions.https";
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace(
            "matches = '^https://' }",
            "matches = '^https://', present = true }",
        )
    });
    let p = one_problem_in_rule(&text, id);
    let (line, col) = in_rule(&text, id, "then = { path = ");
    assert_problem(
        &p,
        (line, col + "then = { path = ".len()),
        &[
            "rule `button.url.messenger_extensions.https`: a condition takes exactly one of `equals`, `in`, `present` and `matches`, found 2",
        ],
    );
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace(
            "then = { path = \"url\", matches = '^https://' }",
            "then = { path = \"url\" }",
        )
    });
    let p = one_problem_in_rule(&text, id);
    assert!(p.message.contains("found 0"), "{p}");
}

#[test]
fn misspelled_matches_is_a_parse_error_listing_the_tests() {
    let text = edit_rule(V26_TOML, "button.url.messenger_extensions.https", |b| {
        b.replace("matches = '^https://'", "match = '^https://'")
    });
    let p = parse_problem("edited.toml", &text);
    assert_problem(
        &p,
        pos(&text, "match = '^https://'"),
        &["unknown field `match`", "`matches`", "`present`"],
    );
}

#[test]
fn duplicate_key_variant_name_is_refused() {
    let from = "fields.attachment_id = { rust = \"attachment_id\", type = \"id\", key = true, variant = \"AttachmentId\", doc = \"Id from the Attachment Upload API";
    let text = edit(
        V26_TOML,
        from,
        &from.replace("variant = \"AttachmentId\"", "variant = \"Url\""),
    );
    let p = one_problem(&text);
    let (line, col) = pos(&text, "key = true, variant = \"Url\", doc = \"Id from");
    assert_problem(
        &p,
        (line, col + "key = true, variant = ".len()),
        &["duplicate variant name `Url` in keyed type `MediaPayload`"],
    );
}

#[test]
fn since_after_as_of_is_refused() {
    // A field.
    let text = edit(
        V26_TOML,
        "variant = \"Sticker\", since = 2026-06-01,",
        "variant = \"Sticker\", since = 2027-06-01,",
    );
    let p = one_problem(&text);
    let (line, col) = pos(&text, "fields.sticker_id = ");
    assert_problem(
        &p,
        (line, col + "fields.".len()),
        &[
            "field `Message.sticker_id` has `since = 2027-06-01`, after the snapshot's as_of 2026-11-23",
            "a snapshot describes only what existed on its date",
        ],
    );
    // A variant.
    let text = edit(
        V26_TOML,
        "type = \"ImageGridTemplate\", since = 2026-06-30,",
        "type = \"ImageGridTemplate\", since = 2026-11-24,",
    );
    let p = one_problem(&text);
    let (line, col) = pos(&text, "variants.image_grid = ");
    assert_problem(
        &p,
        (line, col + "variants.".len()),
        &["variant `image_grid` has `since = 2026-11-24`, after the snapshot's as_of 2026-11-23"],
    );
    // A value: the day of as_of itself is fine, the next one is not.
    let on_the_day = edit(
        V26_TOML,
        "rust = \"Utility\", since = 2025-07-29,",
        "rust = \"Utility\", since = 2026-11-23,",
    );
    assert!(load_str("edited.toml", &on_the_day).is_ok());
    let text = edit(
        V26_TOML,
        "rust = \"Utility\", since = 2025-07-29,",
        "rust = \"Utility\", since = 2026-11-24,",
    );
    let p = one_problem(&text);
    let (line, col) = pos(&text, "values.UTILITY = ");
    assert_problem(
        &p,
        (line, col + "values.".len()),
        &["value `UTILITY` has `since = 2026-11-24`"],
    );
}

#[test]
fn since_after_as_of_in_a_historic_snapshot() {
    // Back-porting a later feature into v21.0 as documented at its release
    // keeps its date, which the lint refuses: that file describes 2024-10-02.
    let from = "fields.metadata = { rust = \"metadata\", type = \"string\", ";
    let historic = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/v21.0-at-release.toml"),
    )
    .unwrap();
    let text = edit(&historic, from, &format!("{from}since = 2026-06-01, "));
    let p = one_problem(&text);
    let (line, col) = pos(&text, "fields.metadata = ");
    assert_problem(
        &p,
        (line, col + "fields.".len()),
        &[
            "field `Message.metadata` has `since = 2026-06-01`, after the snapshot's as_of 2024-10-02",
        ],
    );
}

#[test]
fn platform_only_values_must_carry_platforms() {
    let id = "quick_reply.platform";
    // Only values that carry `platforms` may be listed.
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace(
            "path = \"content_type\"\n",
            "path = \"content_type\"\nvalues = [\"text\"]\n",
        )
    });
    let p = one_problem_in_rule(&text, id);
    assert_problem(
        &p,
        pos(&text, "\"quick_reply.platform\""),
        &["rule `quick_reply.platform`: no field or value at `content_type` carries `platforms`"],
    );
    // A value that does is accepted.
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace(
            "path = \"content_type\"\n",
            "path = \"content_type\"\nvalues = [\"user_email\", \"user_phone_number\"]\n",
        )
    });
    load_str("edited.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    // A value the path cannot hold is named, with a suggestion.
    let text = edit_rule(V26_TOML, id, |b| {
        b.replace(
            "path = \"content_type\"\n",
            "path = \"content_type\"\nvalues = [\"user_emails\"]\n",
        )
    });
    let problems = lint_problems("edited.toml", &text);
    assert!(
        problems.iter().any(|p| p.message.contains(
            "rule `quick_reply.platform`: `user_emails` is not a value the path can hold; did you mean `user_email`?"
        )),
        "{problems:#?}"
    );
}

// ---------------------------------------------------------------------------
// The rule conversion: every way a raw rule fails to become a typed rule
// ---------------------------------------------------------------------------

/// Where a conversion problem sits: at the rule's kind, or at a piece of
/// text inside the rule's block.
enum At {
    Kind,
    Text(&'static str),
}

/// (rule id, text replaced in its block, replacement, where, fragment)
const CONVERSIONS: &[(&str, &str, &str, At, &str)] = &[
    // Keys a kind does not take.
    (
        "message.text.max_len",
        "max = 2000\n",
        "max = 2000\nfields = [\"text\", \"metadata\"]\n",
        At::Kind,
        "of kind `max_len` does not take `fields`",
    ),
    (
        "message.text.max_len",
        "max = 2000\n",
        "max = 2000\nwhen = { path = \"text\", present = true }\n",
        At::Kind,
        "of kind `max_len` does not take `when` or `then`",
    ),
    (
        "message.text.max_len",
        "max = 2000\n",
        "max = 2000\npattern = \"^x\"\n",
        At::Kind,
        "of kind `max_len` does not take `pattern`",
    ),
    (
        "message.text.max_len",
        "max = 2000\n",
        "max = 2000\nvalues = [\"x\"]\n",
        At::Kind,
        "of kind `max_len` does not take `values`",
    ),
    (
        "message.text.max_len",
        "max = 2000\n",
        "max = 2000\ncoercion = \"number_as_id\"\n",
        At::Kind,
        "of kind `max_len` does not take `coercion`",
    ),
    (
        "message.text.max_len",
        "max = 2000\n",
        "max = 2000\nstatus = \"retired\"\n",
        At::Kind,
        "of kind `max_len` does not take `status`",
    ),
    (
        "button.game_play.one_target",
        "on = \"GameMetadata\"\n",
        "on = \"GameMetadata\"\npath = \"player_id\"\n",
        At::Kind,
        "of kind `at_most_one_of` does not take `path`",
    ),
    // Parameters a kind needs.
    (
        "message.text.max_len",
        "on = \"Message\"\n",
        "",
        At::Kind,
        "of kind `max_len`: expected `on` (the type it is evaluated on), found none",
    ),
    (
        "message.text.max_len",
        "path = \"text\"\n",
        "",
        At::Kind,
        "of kind `max_len`: expected `path`, found none",
    ),
    (
        "message.quick_replies.items",
        "max = 13\n",
        "",
        At::Kind,
        "of kind `items`: expected `min` or `max`, found none",
    ),
    (
        "recipient.phone_number.format",
        "pattern = '",
        "pattern_x = '",
        At::Text("pattern_x"),
        "unknown field `pattern_x`",
    ),
    (
        "coerce.number_as_id",
        "coercion = \"number_as_id\"\n",
        "",
        At::Kind,
        "of kind `coercion`: expected `coercion`, found none",
    ),
    (
        "status.deprecated",
        "status = \"deprecated\"\n",
        "",
        At::Kind,
        "of kind `status`: expected `status`, found none",
    ),
    (
        "status.deprecated",
        "status = \"deprecated\"\n",
        "status = \"current\"\n",
        At::Kind,
        "`status = \"current\"` would flag every item",
    ),
    (
        "button.game_play.one_target",
        "fields = [\"player_id\", \"context_id\"]",
        "fields = [\"player_id\"]",
        At::Kind,
        "expected `fields` with at least two names",
    ),
    (
        "request.sender_action.forbids_messaging_type",
        "then = { path = \"messaging_type\", present = true }\n",
        "",
        At::Kind,
        "of kind `forbids`: expected `then`, found none",
    ),
    // Where the rule is evaluated.
    (
        "message.text.max_len",
        "on = \"Message\"",
        "on = \"Mesage\"",
        At::Text("\"Mesage\""),
        "unknown type `Mesage`; did you mean `Message`?",
    ),
    (
        "message.text.max_len",
        "on = \"Message\"",
        "on = \"Tag\"",
        At::Text("\"Tag\""),
        "rules are evaluated on objects and unions, not on enum `Tag`",
    ),
    (
        "message.text.max_len",
        "path = \"text\"",
        "path = \"txt\"",
        At::Text("\"txt\""),
        "`txt` is not a field of type `Message`",
    ),
    // Field groups.
    (
        "button.game_play.one_target",
        "\"context_id\"]",
        "\"contxt\"]",
        At::Text("\"contxt\""),
        "`contxt` is not a field of `GameMetadata`",
    ),
    // What the path leads to.
    (
        "message.text.max_len",
        "path = \"text\"",
        "path = \"quick_replies\"",
        At::Kind,
        "`max_len` needs a path to a string",
    ),
    (
        "message.quick_replies.items",
        "path = \"quick_replies\"",
        "path = \"text\"",
        At::Kind,
        "`items` needs a path to an array",
    ),
    (
        "image_grid.one_hero",
        "path = \"images[*].is_hero_image\"",
        "path = \"images[*].url\"",
        At::Kind,
        "`unique_true` needs a path to a boolean",
    ),
    (
        "request.tag.refused_since",
        "path = \"tag\"\n",
        "path = \"tag\"\nvalues = [\"HUMAN_AGNT\"]\n",
        At::Text("\"request.tag.refused_since\""),
        "`HUMAN_AGNT` is not a value the path can hold; did you mean `HUMAN_AGENT`?",
    ),
    // Conditions.
    (
        "request.sender_action.forbids_messaging_type",
        "then = { path = \"messaging_type\", present = true }",
        "then = { path = \"messaging_type\", present = true, equals = \"UPDATE\" }",
        At::Text("\"messaging_type\", present = true, equals"),
        "a condition takes exactly one of `equals`, `in`, `present` and `matches`, found 2",
    ),
    (
        "request.sender_action.forbids_messaging_type",
        "then = { path = \"messaging_type\", present = true }",
        "then = { path = \"messaging_type\", equals = \"UPDAT\" }",
        At::Text("\"messaging_type\", equals"),
        "`UPDAT` is not a value of `messaging_type`; did you mean `UPDATE`?",
    ),
    (
        "request.sender_action.forbids_messaging_type",
        "then = { path = \"messaging_type\", present = true }",
        "then = { path = \"message.quick_replies[*].title\", present = true }",
        At::Text("\"message.quick_replies[*].title\""),
        "conditions take paths without `[*]`",
    ),
    (
        "request.sender_action.forbids_messaging_type",
        "then = { path = \"messaging_type\", present = true }",
        "then = { path = \"message\", equals = \"x\" }",
        At::Text("\"message\", equals"),
        "`equals` and `in` need a path to an enum, a tag or a string",
    ),
    (
        "request.sender_action.forbids_messaging_type",
        "then = { path = \"messaging_type\", present = true }",
        "then = { path = \"message\", matches = \"^x\" }",
        At::Text("\"message\", matches"),
        "`matches` needs a path to a string",
    ),
    (
        "request.sender_action.forbids_messaging_type",
        "then = { path = \"messaging_type\", present = true }",
        "then = { path = \"messaging_type\", present = true }\nextra = 1",
        At::Text("extra"),
        "unknown field `extra`",
    ),
];

#[test]
fn every_conversion_error_sits_at_its_line_and_column() {
    for (id, from, to, at, fragment) in CONVERSIONS {
        let text = edit_rule(V26_TOML, id, |b| {
            assert!(b.contains(from), "rule {id} has no {from:?}");
            b.replacen(from, to, 1)
        });
        let problems = match load_str("edited.toml", &text) {
            Err(Error::Lint { problems, .. }) => problems,
            Err(Error::Parse(p)) => vec![p],
            other => panic!("{id}: {from:?} -> {to:?} was accepted: {other:?}"),
        };
        let want = match at {
            At::Kind => kind_at(&text, id),
            At::Text(needle) => in_rule(&text, id, needle),
        };
        assert!(
            problems
                .iter()
                .any(|p| (p.line, p.column) == want && p.message.contains(fragment)),
            "{id}: {from:?} -> {to:?}: no problem at {want:?} saying {fragment:?}; got {problems:#?}"
        );
    }
}

#[test]
fn two_current_alternatives_for_one_answer_are_refused() {
    let from = "subcode = 2534022\nrust = \"OutsideWindow\"\ntype = \"OAuthException\"\nmessage = \"(#10) This message is sent outside of allowed window.\"\n";
    let text = edit(V26_TOML, from, &format!("{from}current = true\n"));
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"OutsideWindowPolicy\""),
        &[
            "`OutsideWindowPolicy` and `OutsideWindow` are both `current`",
            "code 10",
            "mark only the answer Graph gives today",
        ],
    );
}

#[test]
fn current_alternatives_with_other_messages_are_not_alternatives() {
    // One current entry per answer: a current entry of code 10 with another
    // message is the current one of another answer.
    let from = "subcode = 2534022\nrust = \"OutsideWindow\"\ntype = \"OAuthException\"\nmessage = \"(#10) This message is sent outside of allowed window.\"\n";
    let to = "subcode = 2534022\nrust = \"OutsideWindow\"\ntype = \"OAuthException\"\nmessage = \"(#10) Outside the window.\"\ncurrent = true\n";
    let text = edit(V26_TOML, from, to);
    if let Err(e) = load_str("edited.toml", &text) {
        panic!("{e}");
    }
}

#[test]
fn current_without_a_message_is_refused() {
    let from = "rust = \"PermissionDenied\"\n";
    let text = edit(
        V26_TOML,
        from,
        "rust = \"PermissionDenied\"\ncurrent = true\n",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"PermissionDenied\""),
        &["`PermissionDenied` is `current` without a `message`"],
    );
}

#[test]
fn a_batch_limit_of_zero_is_refused() {
    let text = edit(V26_TOML, "batch_limit = 50", "batch_limit = 0");
    let p = one_problem(&text);
    assert_problem(
        &p,
        {
            let (line, column) = pos(&text, "batch_limit = 0");
            (line, column + "batch_limit = ".len())
        },
        &["expected a batch_limit of at least 1", "found 0"],
    );
}

#[test]
fn a_part_must_be_a_json_typed_key() {
    let from = "fields.filedata = { rust = \"filedata\", type = \"json\", key = true,";
    let text = edit(
        V26_TOML,
        from,
        "fields.filedata = { rust = \"filedata\", type = \"string\", key = true,",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"string\", key = true, variant = \"Filedata\""),
        &[
            "field `MediaPayload.filedata`",
            "its type is `json`, found `string`",
        ],
    );
}

#[test]
fn a_part_cannot_choose_a_variant_of_the_message() {
    // Message is a field type of the request, whose builders take their
    // variants from JSON keys.
    let from = "fields.dynamic_text = { rust = \"dynamic_text\", type = \"DynamicText\", key = true, variant = \"DynamicText\",";
    let to = "fields.dynamic_text = { rust = \"dynamic_text\", type = \"json\", key = true, variant = \"DynamicText\", part = \"dynamic\",";
    let text = edit(V26_TOML, from, to);
    let problems = lint_problems("edited.toml", &text);
    assert!(
        problems.iter().any(|p| p.message.contains(
            "field `Message.dynamic_text`: a `part` key cannot choose a variant of the request type `SendRequest`"
        )),
        "{problems:#?}"
    );
}

// --- the webhook section ---------------------------------------------------

/// Line and column of `inner` within the one occurrence of `context`.
fn pos_in(text: &str, context: &str, inner: &str) -> (usize, usize) {
    let at = text.find(context).expect("context present");
    assert_eq!(
        text.matches(context).count(),
        1,
        "ambiguous context {context:?}"
    );
    line_col(
        text,
        at + context.find(inner).expect("inner inside context"),
    )
}

#[test]
fn webhook_type_reference_resolves_in_the_webhook_namespace() {
    let text = edit(V26_TOML, "type = \"[Command]\"", "type = \"[Comand]\"");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"[Comand]\""),
        &[
            "unknown type `Comand`",
            "[webhooks.types]",
            "did you mean `Command`?",
        ],
    );
}

#[test]
fn a_request_type_is_not_a_webhook_type() {
    // QuickReply exists in [types], not in [webhooks.types].
    let text = edit(
        V26_TOML,
        "type = \"QuickReplyTap\"",
        "type = \"QuickReply\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(
            &text,
            "type = \"QuickReply\", doc = \"Present when",
            "\"QuickReply\"",
        ),
        &["unknown type `QuickReply`", "[webhooks.types]"],
    );
}

#[test]
fn webhook_types_follow_the_type_rules() {
    let text = edit(
        V26_TOML,
        "values.linked = { rust = \"Linked\"",
        "values.linked = { rust = \"linked\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"linked\""),
        &["value `linked`", "UpperCamelCase"],
    );
}

#[test]
fn event_payload_type_must_exist() {
    let text = edit(V26_TOML, "type = \"MessageEdit\"", "type = \"MessgeEdit\"");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"MessgeEdit\""),
        &["unknown type `MessgeEdit`", "did you mean `MessageEdit`?"],
    );
}

#[test]
fn event_flag_names_a_bool_field() {
    let text = edit(V26_TOML, "flag = \"is_echo\"", "flag = \"mid\"");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(&text, "flag = \"mid\"", "\"mid\""),
        &["event `Echo`", "flag `mid`", "bool field of `EchoMessage`"],
    );
}

#[test]
fn events_sharing_a_key_need_a_condition() {
    let text = edit(V26_TOML, "flag = \"is_echo\"\n", "");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(
            &text,
            "[webhooks.events.Message]\nkey = \"message\"",
            "\"message\"",
        ),
        &[
            "event `Message`",
            "key `message` like event `Echo`",
            "`flag` or `when`",
        ],
    );
}

#[test]
fn event_when_value_must_be_a_value_of_the_enum() {
    let text = edit(
        V26_TOML,
        "equals = \"notification_messages\"",
        "equals = \"notification_message\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"notification_message\""),
        &[
            "event `MarketingOptin`",
            "not a value of `Optin.type`",
            "did you mean `notification_messages`?",
        ],
    );
}

#[test]
fn event_when_names_a_string_or_enum_field() {
    let text = edit(
        V26_TOML,
        "when = { field = \"type\", equals = \"one_time_notif_req\" }",
        "when = { field = \"token_expiry_timestamp\", equals = \"one_time_notif_req\" }",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"token_expiry_timestamp\", equals"),
        &[
            "event `OneTimeNotifOptin`",
            "string or enum field of `Optin`",
        ],
    );
}

const DELIVERY_DEDUPE: &str = "dedupe = { watermark = \"watermark\" }\nplatforms = [\"messenger\"]";

#[test]
fn dedupe_names_one_key_not_both() {
    let text = edit(
        V26_TOML,
        DELIVERY_DEDUPE,
        "dedupe = { mid = \"mids\", watermark = \"watermark\" }\nplatforms = [\"messenger\"]",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(
            &text,
            "watermark = \"watermark\" }\nplatforms",
            "\"watermark\"",
        ),
        &["event `Delivery`", "not both"],
    );
}

#[test]
fn dedupe_names_at_least_one_key() {
    let text = edit(
        V26_TOML,
        DELIVERY_DEDUPE,
        "dedupe = {}\nplatforms = [\"messenger\"]",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(
            &text,
            "[webhooks.events.Delivery]\nkey = \"delivery\"",
            "\"delivery\"",
        ),
        &["event `Delivery`", "names no key"],
    );
}

#[test]
fn dedupe_watermark_leads_to_an_integer() {
    let text = edit(
        V26_TOML,
        DELIVERY_DEDUPE,
        "dedupe = { watermark = \"mids\" }\nplatforms = [\"messenger\"]",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"mids\" }"),
        &[
            "event `Delivery`",
            "dedupe path `mids`",
            "an integer field of `Delivery`",
        ],
    );
}

#[test]
fn dedupe_mid_path_must_exist() {
    let text = edit(
        V26_TOML,
        "dedupe = { mid = \"mid\" }\ndoc = \"A tap on a postback button",
        "dedupe = { mid = \"message_id\" }\ndoc = \"A tap on a postback button",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(&text, "{ mid = \"message_id\" }", "\"message_id\""),
        &[
            "event `Postback`",
            "dedupe path `message_id`",
            "a string field",
        ],
    );
}

#[test]
fn event_names_are_upper_camel_case() {
    let text = edit(
        V26_TOML,
        "[webhooks.events.Delivery]",
        "[webhooks.events.delivery]",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(&text, "[webhooks.events.delivery]", "delivery]"),
        &["event name `delivery`", "UpperCamelCase"],
    );
}

#[test]
fn event_name_unknown_is_reserved() {
    let text = edit(
        V26_TOML,
        "[webhooks.events.GamePlay]",
        "[webhooks.events.Unknown]",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(&text, "[webhooks.events.Unknown]", "Unknown]"),
        &["event name `Unknown`", "events the spec does not know"],
    );
}

#[test]
fn event_keys_are_snake_case() {
    let text = edit(V26_TOML, "key = \"game_play\"", "key = \"gamePlay\"");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"gamePlay\""),
        &["event `GamePlay`", "snake_case item key"],
    );
}

#[test]
fn event_platforms_are_listed_once() {
    let text = edit(
        V26_TOML,
        DELIVERY_DEDUPE,
        "dedupe = { watermark = \"watermark\" }\nplatforms = [\"messenger\", \"messenger\"]",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(&text, "[webhooks.events.Delivery]", "Delivery]"),
        &["event `Delivery`", "platform `messenger` is listed twice"],
    );
}

#[test]
fn event_source_must_resolve() {
    let context = "through the log-in button.\"\nsource = \"EVT-LINK\"";
    let text = edit(V26_TOML, context, &context.replace("EVT-LINK", "EVT-LNK"));
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"EVT-LNK\""),
        &["found `EVT-LNK`", "did you mean `EVT-LINK`?"],
    );
}

#[test]
fn event_since_is_not_after_as_of() {
    let text = edit(
        V26_TOML,
        "[webhooks.events.GamePlay]\n",
        "[webhooks.events.GamePlay]\nsince = 2027-01-01\n",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(&text, "[webhooks.events.GamePlay]", "GamePlay]"),
        &[
            "event `GamePlay`",
            "since = 2027-01-01",
            "after the snapshot's as_of",
        ],
    );
}

#[test]
fn envelope_must_be_an_object_type() {
    let text = edit(
        V26_TOML,
        "envelope = \"Notification\"",
        "envelope = \"WebhookObject\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"WebhookObject\"\nitem"),
        &["envelope", "expected an object type from [webhooks.types]"],
    );
}

#[test]
fn item_must_be_a_webhook_type() {
    let text = edit(V26_TOML, "item = \"Messaging\"", "item = \"Mesaging\"");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"Mesaging\""),
        &["unknown type `Mesaging`", "did you mean `Messaging`?"],
    );
}

#[test]
fn messaging_names_an_item_array_of_the_entry() {
    let text = edit(
        V26_TOML,
        "messaging = \"messaging\"",
        "messaging = \"mesaging\"",
    );
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"mesaging\""),
        &[
            "`messaging = \"mesaging\"`",
            "a field of `Entry` of type `[Messaging]`",
            "did you mean `messaging`?",
        ],
    );
}

#[test]
fn standby_must_hold_items() {
    // `changes` is a field of the entry, but of changes, not items.
    let text = edit(V26_TOML, "standby = \"standby\"", "standby = \"changes\"");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos(&text, "\"changes\"\n"),
        &["`standby = \"changes\"`", "of type `[Messaging]`"],
    );
}

#[test]
fn snapshot_window_hours_is_above_zero() {
    let text = edit(V26_TOML, "window_hours = 24", "window_hours = 0");
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(&text, "window_hours = 0", "0"),
        &["window_hours of at least 1", "found 0"],
    );
}

#[test]
fn tag_window_hours_is_above_zero() {
    let context = "window = \"within 7 days of the person's last message\"\nwindow_hours = 168\n\n[types.Tag.values.HUMAN_AGENT]";
    let text = edit(V26_TOML, context, &context.replace("168", "0"));
    let p = one_problem(&text);
    assert_problem(
        &p,
        pos_in(&text, "window_hours = 0", "0"),
        &[
            "value `Tag.CUSTOMER_FEEDBACK`",
            "window_hours of at least 1",
        ],
    );
}
