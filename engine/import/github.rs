//! GitHub organisation exports, as the REST API returns them -> an `accounts` document
//! (the organisation's members) and a `repository` document (its repositories).
//!
//! Members (`github-members`), from four responses:
//! - `GET /orgs/{org}/members` (every page): who is a member; `user` is the login, `type`
//!   is `service` for a `Bot` and for logins in the optional service list, else `human`;
//! - `GET /orgs/{org}/members?role=admin`: the owners -> `privileged`;
//! - `GET /orgs/{org}/members?filter=2fa_disabled` (owners only): members without
//!   two-factor authentication -> `mfa` false, every other member true. Without it the
//!   import stops: the member list does not say who has 2FA;
//! - optionally `GET /orgs/{org}`: `two_factor_requirement_enabled` -> `mfa_required`
//!   (the field is there only for owners; absent, `mfa_required` is left out).
//!
//! GitHub keeps no creation date and no last login for an organisation membership, and no
//! email (that lives in the identity provider behind SAML): `created_on`, `last_login`,
//! `email` and `person_id` are null, and the document lists `created_on` and `last_login`
//! as `unrecorded`, so the rules say they cannot tell instead of reading null as "never".
//! `xwalk import join` ties the logins to the HR roster.
//!
//! Repositories (`github-repos`), from:
//! - `GET /orgs/{org}/repos` (every page, as an owner so that `security_and_analysis` is
//!   there): `name` is `full_name`; `secret_scanning` is `security_and_analysis.
//!   secret_scanning.status == "enabled"`; `dependency_scanning` is Dependabot security
//!   updates enabled (they need Dependabot alerts, so it is never true without scanning;
//!   alerts on with updates off shows false, less than the truth, never more). Archived
//!   repositories are read-only and are skipped, each listed in the provenance;
//! - per repository, the default branch's classic protection (`GET /repos/{owner}/{repo}/
//!   branches/{branch}/protection`, saved as `<repo>.json`; a 404 body "Branch not
//!   protected" means unprotected) and/or the rules that apply to it (`GET /repos/{owner}/
//!   {repo}/rules/branches/{branch}`). Protected when either protects it; `required_reviews`
//!   is the larger approving-review count of the two. A repository with neither is an error;
//! - per repository, code scanning (`GET /repos/{owner}/{repo}/code-scanning/default-setup`,
//!   `state` configured, or the list of `code-scanning/analyses`, not empty) -> `sast`;
//! - the list of repositories deployed to production (one per line): GitHub does not know
//!   which code ships, so the import asks, and refuses an empty list (every rule over
//!   repositories would then be not applicable).

use super::json::Export;
use super::{file_name, invalid, render, sha256, Imported, Input, Options, Provenance, SkippedRow};
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The members importer's name on the command line.
pub const MEMBERS: &str = "github-members";
/// The repositories importer's name on the command line.
pub const REPOS: &str = "github-repos";
/// Where the members go under the facts directory.
pub const MEMBERS_OUTPUT: &str = "identity/github.json";
/// Where the repositories go under the facts directory.
pub const REPOS_OUTPUT: &str = "code/github.json";

/// The responses the members import reads.
pub struct Members<'a> {
    /// Pages of `GET /orgs/{org}/members`.
    pub pages: &'a [SourceFile],
    /// Pages of `GET /orgs/{org}/members?role=admin`.
    pub admins: &'a [SourceFile],
    /// Pages of `GET /orgs/{org}/members?filter=2fa_disabled`.
    pub two_factor_disabled: &'a [SourceFile],
    /// `GET /orgs/{org}`, for the organisation's 2FA requirement.
    pub org: Option<&'a SourceFile>,
    /// Logins of machine users (one per line).
    pub service: Option<&'a SourceFile>,
}

/// The responses the repositories import reads.
pub struct Repos<'a> {
    /// Pages of `GET /orgs/{org}/repos`.
    pub pages: &'a [SourceFile],
    /// Classic branch protection of each default branch, by repository name.
    pub protection: &'a BTreeMap<String, SourceFile>,
    /// Rules applying to each default branch, by repository name.
    pub rules: &'a BTreeMap<String, SourceFile>,
    /// Code scanning default setup or analyses, by repository name.
    pub code_scanning: &'a BTreeMap<String, SourceFile>,
    /// Repositories deployed to production (one per line, name or owner/name).
    pub production: &'a SourceFile,
}

/// Problems of several files, gathered so that all are reported at once.
#[derive(Default)]
struct Problems(Vec<Diagnostic>);

impl Problems {
    fn take(&mut self, export: &mut Export) {
        self.0.append(&mut export.diags);
    }

    fn at(&mut self, location: Location, why: impl Into<String>) {
        self.0.push(Diagnostic::new(codes::XW0701, location, why));
    }

    fn finish(mut self, what: &str) -> Result<(), Error> {
        if self.0.is_empty() {
            return Ok(());
        }
        crate::diag::sort(&mut self.0);
        Err(invalid(what, self.0))
    }
}

/// A user listed in a members response: login, type, and where it is.
struct Listed {
    login: String,
    bot: bool,
    at: Location,
}

/// The users of every page of a members listing.
fn users(
    pages: &[SourceFile],
    what: &str,
    problems: &mut Problems,
    inputs: &mut Vec<Input>,
) -> Result<Vec<Listed>, Error> {
    let mut out = Vec::new();
    for page in pages {
        inputs.push(Input::of(page, what));
        let mut export = Export::parse(page, &format!("the {what} response"))?;
        let items = export.array("", &format!("the {what} response"));
        for (i, item) in items.iter().enumerate() {
            let base = format!("/{i}");
            let who = format!("user {}", i + 1);
            let Some(login) = export.string(item, &base, "login", &who) else {
                continue;
            };
            let bot = Export::field(item, "type").and_then(Value::as_str) == Some("Bot");
            out.push(Listed {
                login,
                bot,
                at: export.at(&base),
            });
        }
        problems.take(&mut export);
    }
    Ok(out)
}

fn provenance(importer: &str, first: &SourceFile, rows: usize, options: &Options) -> Provenance {
    Provenance {
        importer: importer.to_string(),
        version: super::IMPORTER_VERSION.to_string(),
        source_system: "GitHub".to_string(),
        file: file_name(&first.path),
        sha256: sha256(first.text.as_bytes()),
        rows_read: rows,
        rows_skipped: Vec::new(),
        collected_on_from: if options.collected_on.is_some() {
            "--collected-on".into()
        } else {
            "not stated: GitHub's API responses carry no time of export; pass --collected-on".into()
        },
        inputs: Vec::new(),
        ..Provenance::default()
    }
}

fn no_pages(what: &str) -> Error {
    Error::Usage(format!("give at least one page of {what}"))
}

/// Import the organisation's members.
pub fn import_members(m: &Members, options: &Options) -> Result<Imported, Error> {
    let first = m
        .pages
        .first()
        .ok_or_else(|| no_pages("GET /orgs/{org}/members"))?;
    if m.two_factor_disabled.is_empty() {
        return Err(Error::Usage(
            "the member list does not say who has two-factor authentication: give --two-factor-disabled FILE (GET /orgs/{org}/members?filter=2fa_disabled, as an owner)".into(),
        ));
    }
    if m.admins.is_empty() {
        return Err(Error::Usage(
            "the member list does not say who is an owner: give --admins FILE (GET /orgs/{org}/members?role=admin)".into(),
        ));
    }
    let mut problems = Problems::default();
    let mut inputs = Vec::new();
    let members = users(m.pages, "members", &mut problems, &mut inputs)?;
    let admins = users(m.admins, "owners", &mut problems, &mut inputs)?;
    let no_2fa = users(
        m.two_factor_disabled,
        "members without 2FA",
        &mut problems,
        &mut inputs,
    )?;
    let mut known = BTreeSet::new();
    for u in &members {
        if !known.insert(u.login.to_ascii_lowercase()) {
            problems.at(u.at.clone(), format!("{} is listed twice", u.login));
        }
    }
    // A list naming someone who is not a member comes from another organisation, or from
    // another day: either way the two cannot be joined safely.
    for (list, what) in [(&admins, "owners"), (&no_2fa, "members without 2FA")] {
        for u in list.iter() {
            if !known.contains(&u.login.to_ascii_lowercase()) {
                problems.at(
                    u.at.clone(),
                    format!("{} is in the {what} list but not a member: are the responses of the same organisation and day?", u.login),
                );
            }
        }
    }
    let lower = |list: &[Listed]| -> BTreeSet<String> {
        list.iter().map(|u| u.login.to_ascii_lowercase()).collect()
    };
    let (admins, no_2fa) = (lower(&admins), lower(&no_2fa));
    let service: BTreeSet<String> = m.service.map_or_else(BTreeSet::new, |f| {
        inputs.push(Input::of(f, "machine users"));
        super::list_lines(f)
            .into_iter()
            .map(|s| s.to_ascii_lowercase())
            .collect()
    });
    if let Some(f) = m.service {
        for s in super::accounts::lines(f) {
            if !known.contains(&s.name.to_ascii_lowercase()) {
                let why = format!("{} is in the machine-user list but not a member", s.name);
                problems.at(s.at, why);
            }
        }
    }
    let mut mfa_required = None;
    if let Some(org) = m.org {
        inputs.push(Input::of(org, "organisation settings"));
        let mut export = Export::parse(org, "the organisation response")?;
        match export.value.get("two_factor_requirement_enabled") {
            Some(Value::Bool(b)) => mfa_required = Some(*b),
            None | Some(Value::Null) => {}
            Some(other) => export.problem(
                "/two_factor_requirement_enabled",
                format!("two_factor_requirement_enabled is {other}, not true or false"),
            ),
        }
        problems.take(&mut export);
    }
    problems.finish(&first.path)?;

    let mut items: Vec<Value> = members
        .iter()
        .map(|u| {
            let key = u.login.to_ascii_lowercase();
            json!({
                "user": u.login,
                "email": null,
                "person_id": null,
                "type": if u.bot || service.contains(&key) { "service" } else { "human" },
                "status": "active",
                "disabled_on": null,
                "mfa": !no_2fa.contains(&key),
                "privileged": admins.contains(&key),
                "last_login": null,
                "created_on": null,
            })
        })
        .collect();
    items.sort_by(|a, b| a["user"].as_str().cmp(&b["user"].as_str()));
    let mut provenance = provenance(MEMBERS, first, members.len(), options);
    provenance.inputs = inputs;
    let mut doc = json!({
        "kind": "accounts",
        "source": "GitHub organisation members API",
        "system": options.system.clone().unwrap_or_else(|| "github".to_string()),
        "unrecorded": ["created_on", "last_login"],
        "provenance": provenance,
        "items": items,
    });
    if let Some(d) = options.collected_on {
        doc["collected_on"] = json!(d.to_string());
    }
    if let Some(b) = mfa_required {
        doc["mfa_required"] = json!(b);
    }
    Ok(Imported {
        files: vec![(MEMBERS_OUTPUT.to_string(), render(&doc))],
    })
}

/// What a default branch's protection and rules say.
#[derive(Default)]
struct Protection {
    protected: bool,
    reviews: u64,
}

/// Read the classic protection response of one repository.
fn classic(file: &SourceFile, repo: &str, problems: &mut Problems) -> Result<Protection, Error> {
    let mut export = Export::parse(file, &format!("the branch protection of {repo}"))?;
    let value = export.value.clone();
    let mut out = Protection::default();
    if let Some(message) = value.get("message").and_then(Value::as_str) {
        if message != "Branch not protected" {
            export.problem(
                "/message",
                format!("GitHub answered `{message}` for the branch protection of {repo}: the token may lack admin rights; save the response of a token that has them"),
            );
        }
    } else if value.is_object() {
        out.protected = true;
        if let Some(reviews) = value.get("required_pull_request_reviews") {
            match reviews
                .get("required_approving_review_count")
                .and_then(Value::as_u64)
            {
                Some(n) => out.reviews = n,
                None => export.problem(
                    "/required_pull_request_reviews",
                    format!("the branch protection of {repo} requires pull request reviews but gives no required_approving_review_count"),
                ),
            }
        }
    } else {
        export.problem(
            "",
            format!("the branch protection of {repo}: expected a JSON object"),
        );
    }
    problems.take(&mut export);
    Ok(out)
}

/// Read the rules applying to one repository's default branch.
fn rulesets(file: &SourceFile, repo: &str, problems: &mut Problems) -> Result<Protection, Error> {
    let what = format!("the branch rules of {repo}");
    let mut export = Export::parse(file, &what)?;
    let mut out = Protection::default();
    for (i, rule) in export.array("", &what).iter().enumerate() {
        let base = format!("/{i}");
        let Some(kind) = export.string(rule, &base, "type", &format!("rule {}", i + 1)) else {
            continue;
        };
        match kind.as_str() {
            "pull_request" => {
                out.protected = true;
                match Export::field(rule, "parameters/required_approving_review_count")
                    .and_then(Value::as_u64)
                {
                    Some(n) => out.reviews = out.reviews.max(n),
                    None => export.problem(
                        &base,
                        format!("the pull_request rule of {repo} gives no parameters.required_approving_review_count"),
                    ),
                }
            }
            "non_fast_forward" | "deletion" | "update" | "required_status_checks" => {
                out.protected = true;
            }
            _ => {}
        }
    }
    problems.take(&mut export);
    Ok(out)
}

/// Read one repository's code scanning response: default setup or analyses.
fn code_scanning(file: &SourceFile, repo: &str, problems: &mut Problems) -> Result<bool, Error> {
    let mut export = Export::parse(file, &format!("the code scanning of {repo}"))?;
    let value = export.value.clone();
    let on = match &value {
        Value::Array(analyses) => !analyses.is_empty(),
        Value::Object(o) => match o.get("state").and_then(Value::as_str) {
            Some("configured") => true,
            Some("not-configured") => false,
            _ => match o.get("message").and_then(Value::as_str) {
                // What GitHub answers when no analysis was ever uploaded.
                Some(m) if m.starts_with("no analysis found") => false,
                _ => {
                    export.problem(
                        "",
                        format!("the code scanning of {repo}: neither a default setup (`state`) nor a list of analyses"),
                    );
                    false
                }
            },
        },
        _ => {
            export.problem(
                "",
                format!("the code scanning of {repo}: expected a JSON object or array"),
            );
            false
        }
    };
    problems.take(&mut export);
    Ok(on)
}

/// Import the organisation's repositories.
pub fn import_repos(r: &Repos, options: &Options) -> Result<Imported, Error> {
    let first = r
        .pages
        .first()
        .ok_or_else(|| no_pages("GET /orgs/{org}/repos"))?;
    let mut problems = Problems::default();
    let mut inputs = Vec::new();
    let production = super::list_lines(r.production);
    inputs.push(Input::of(r.production, "repositories in production"));
    if production.is_empty() {
        problems.at(
            Location::line(&r.production.path, 1),
            "the production list names no repository: every rule over repositories would be not applicable",
        );
    }
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = BTreeSet::new();
    let mut rows = 0;
    for page in r.pages {
        inputs.push(Input::of(page, "repositories"));
        let mut export = Export::parse(page, "the repositories response")?;
        for (i, repo) in export
            .array("", "the repositories response")
            .iter()
            .enumerate()
        {
            rows += 1;
            let base = format!("/{i}");
            let who = format!("repository {}", i + 1);
            let (Some(full), Some(name)) = (
                export.string(repo, &base, "full_name", &who),
                export.string(repo, &base, "name", &who),
            ) else {
                continue;
            };
            if !seen.insert(full.clone()) {
                export.problem(&base, format!("{full} is listed twice"));
                continue;
            }
            if export.boolean(repo, &base, "archived", &full) == Some(true) {
                skipped.push(SkippedRow {
                    row: export.at(&base).line,
                    why: format!("{full} is archived (read-only)"),
                });
                continue;
            }
            let scanning = |export: &mut Export, feature: &str| -> Option<bool> {
                let path = format!("security_and_analysis/{feature}/status");
                match Export::field(repo, &path).and_then(Value::as_str) {
                    Some("enabled") => Some(true),
                    Some("disabled") => Some(false),
                    _ if Export::field(repo, "security_and_analysis").is_none() => {
                        export.problem(&base, format!("{full} has no security_and_analysis: list the repositories with an owner's token, which GitHub needs to show it"));
                        None
                    }
                    _ => Some(false),
                }
            };
            let secret = scanning(&mut export, "secret_scanning");
            let deps = scanning(&mut export, "dependabot_security_updates");
            let branch = export
                .string(repo, &base, "default_branch", &full)
                .unwrap_or_default();
            let (classic_file, rules_file) = (r.protection.get(&name), r.rules.get(&name));
            if classic_file.is_none() && rules_file.is_none() {
                export.problem(&base, format!("no branch protection or rules response for {full}: save GET /repos/{full}/branches/{branch}/protection (or .../rules/branches/{branch}) as {name}.json"));
            }
            let mut protection = Protection::default();
            type Reader = fn(&SourceFile, &str, &mut Problems) -> Result<Protection, Error>;
            for (file, read) in [(classic_file, classic as Reader), (rules_file, rulesets)] {
                if let Some(file) = file {
                    inputs.push(Input::of(file, format!("default branch of {full}")));
                    let p = read(file, &full, &mut problems)?;
                    protection.protected |= p.protected;
                    protection.reviews = protection.reviews.max(p.reviews);
                }
            }
            let sast = match r.code_scanning.get(&name) {
                Some(file) => {
                    inputs.push(Input::of(file, format!("code scanning of {full}")));
                    code_scanning(file, &full, &mut problems)?
                }
                None => {
                    export.problem(&base, format!("no code scanning response for {full}: save GET /repos/{full}/code-scanning/default-setup as {name}.json"));
                    false
                }
            };
            items.push(json!({
                "name": full,
                "default_branch_protected": protection.protected,
                "required_reviews": protection.reviews,
                "dependency_scanning": deps.unwrap_or(false),
                "secret_scanning": secret.unwrap_or(false),
                "sast": sast,
                "production": production.contains(&full) || production.contains(&name),
            }));
        }
        problems.take(&mut export);
    }
    let names: BTreeSet<String> = items
        .iter()
        .filter_map(|i| i["name"].as_str().map(str::to_string))
        .collect();
    for p in super::accounts::lines(r.production) {
        let listed = names
            .iter()
            .any(|n| *n == p.name || n.rsplit('/').next() == Some(p.name.as_str()));
        if !listed {
            let why = format!(
                "{} is in the production list but not an unarchived repository of the export",
                p.name
            );
            problems.at(p.at, why);
        }
    }
    problems.finish(&first.path)?;
    items.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let mut provenance = provenance(REPOS, first, rows, options);
    provenance.rows_skipped = skipped;
    provenance.inputs = inputs;
    let mut doc = json!({
        "kind": "repository",
        "source": "GitHub organisation repositories API",
        "provenance": provenance,
        "items": items,
    });
    if let Some(d) = options.collected_on {
        doc["collected_on"] = json!(d.to_string());
    }
    Ok(Imported {
        files: vec![(REPOS_OUTPUT.to_string(), render(&doc))],
    })
}
