package bench

import rego.v1

as_of_ns := time.parse_ns("2006-01-02", data.as_of)

days_since(d) := (as_of_ns - time.parse_ns("2006-01-02", d)) / 86400000000000

mfa contains i if {
	some i, a in input.items
	a.status == "active"
	a.type == "human"
	not a.mfa
}

privileged contains i if {
	some i, a in input.items
	a.status == "active"
	a.privileged
	a.privilege_justification == null
}

dormant contains i if {
	some i, a in input.items
	a.status == "active"
	a.type == "human"
	days_since(a.last_login) > 90
}

sensitive(a) if a.classification == "confidential"
sensitive(a) if a.classification == "restricted"
sensitive(a) if a.holds_sensitive_data

encrypted contains i if {
	some i, a in input.items
	sensitive(a)
	a.encrypted_at_rest != true
}

tls contains i if {
	some i, a in input.items
	a.tls_min_version in {"1.0", "1.1"}
}

baseline contains i if {
	some i, a in input.items
	a.type in {"server", "database", "network", "laptop"}
	a.baseline_compliant != true
}

vulns contains i if {
	some i, v in input.items
	v.status == "open"
	days_since(v.found_on) > input.sla_days[v.severity]
}

backups contains i if {
	some i, b in input.items
	failing_backup(b)
}

failing_backup(b) if days_since(b.last_success) > 2
failing_backup(b) if days_since(b.last_success) < 0
failing_backup(b) if b.failures_last_30_days > 3

logging contains i if {
	some i, l in input.items
	short_log(l, input.required_retention_days)
}

short_log(l, _) if not l.enabled
short_log(l, _) if not l.centralised
short_log(l, keep) if l.retention_days < keep

changes contains i if {
	some i, c in input.items
	c.approved_by == null
}

changes contains i if {
	some i, c in input.items
	c.approved_by == c.implemented_by
}

code_review contains i if {
	some i, r in input.items
	r.production
	not r.default_branch_protected
}

code_review contains i if {
	some i, r in input.items
	r.production
	r.required_reviews < 1
}

policies contains i if {
	some i, p in input.items
	days_since(p.last_reviewed) > p.review_cycle_months * 31
}
