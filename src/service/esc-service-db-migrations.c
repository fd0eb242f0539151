/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <glib.h>

#include "esc-service-private.h"

/* The SQLite schema of the service's own file, step by step; esc-service-db.c
 * runs the steps. */

/* Forward migrations: migrations[n] takes the schema from user_version n to
 * n + 1. Never edit a released step; append a new one.
 * Timestamps are RFC 3339 UTC text ("2024-05-01T08:00:00Z"). */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE people ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  email TEXT NOT NULL,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE person_roles ("
  "  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,"
  "  role TEXT NOT NULL CHECK (role IN ('it-admin', 'partner-manager', 'support-staff', 'operator')),"
  "  PRIMARY KEY (person_id, role)"
  ");"
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,"
  "  created_at TEXT NOT NULL,"
  "  revoked_at TEXT"
  ");"
  "CREATE INDEX tokens_person_id ON tokens (person_id);"
  "CREATE TABLE designations ("
  "  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,"
  "  capability TEXT NOT NULL CHECK (capability IN ('elevation', 'escalation')),"
  "  reason TEXT,"
  "  expires_at TEXT,"
  "  PRIMARY KEY (person_id, capability)"
  ");",

  /* 1 → 2: settings, support requests and their timeline, the audit log,
   * idempotency keys. */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  /* The severity table and the support request rules, as data. Coverage:
   * "24x7" or "admin-hours" (24 hours a day, Monday to Friday, UTC). */
  "INSERT INTO settings (key, value) VALUES"
  "  ('support.response-minutes.A', '60'),"
  "  ('support.response-minutes.B', '240'),"
  "  ('support.response-minutes.C', '480'),"
  "  ('support.coverage.A', '24x7'),"
  "  ('support.coverage.B', 'admin-hours'),"
  "  ('support.coverage.C', 'admin-hours'),"
  "  ('support.update-minutes.A', '60'),"
  "  ('support.update-minutes.B', '720'),"
  "  ('support.update-minutes.C', '1440'),"
  "  ('support.reactivation-window-hours', '24'),"
  "  ('support.unresponsive-close-hours', '48'),"
  "  ('idempotency.retention-days', '30');"
  "CREATE TABLE support_requests ("
  "  seq INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('admin', 'escalation')),"
  "  type TEXT NOT NULL CHECK (type IN ('incident', 'request-for-information', 'change-request')),"
  "  severity TEXT NOT NULL CHECK (severity IN ('A', 'B', 'C')),"
  "  engagement TEXT CHECK (engagement IN ('admin-hours', '24x7')),"
  "  category TEXT NOT NULL,"
  "  subcategory TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  contact TEXT NOT NULL,"                /* JSON object */
  "  users_or_devices_impacted INTEGER,"
  "  business_impact TEXT,"
  "  first_noticed_at TEXT,"
  "  reproduced_on_unmanaged_device INTEGER,"
  "  end_user_support_engaged INTEGER,"
  "  troubleshooting_steps TEXT,"
  "  steps_to_reproduce TEXT,"
  "  devices TEXT NOT NULL DEFAULT '[]',"   /* JSON array of names */
  "  related_ticket TEXT,"
  "  notes TEXT,"
  "  attachments TEXT NOT NULL DEFAULT '[]',"
  "  state TEXT NOT NULL CHECK (state IN ('new', 'in-progress', 'waiting-on-customer',"
  "                                       'mitigated', 'resolved', 'closed')),"
  "  filer_id INTEGER NOT NULL REFERENCES people (id),"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  response_due_at TEXT NOT NULL,"
  "  resolved_at TEXT,"
  "  closed_at TEXT,"
  "  next_action_owner TEXT CHECK (next_action_owner IN ('customer', 'operations')),"
  "  next_action_at TEXT,"
  "  waiting_since TEXT,"                   /* the last request for action */
  "  assigned INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX support_requests_updated ON support_requests (updated_at, seq);"
  "CREATE INDEX support_requests_filer ON support_requests (filer_id, updated_at, seq);"
  "CREATE INDEX support_requests_waiting ON support_requests (state, waiting_since);"
  "CREATE TABLE support_request_events ("
  "  id INTEGER PRIMARY KEY,"
  "  request_seq INTEGER NOT NULL REFERENCES support_requests (seq),"
  "  at TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  actor_id INTEGER REFERENCES people (id),"
  "  text TEXT,"
  "  from_state TEXT,"
  "  to_state TEXT,"
  "  from_severity TEXT,"
  "  to_severity TEXT"
  ");"
  "CREATE INDEX support_request_events_request ON support_request_events (request_seq, id);"
  /* Append-only: each row's hash is SHA-256 over the previous row's hash and
   * this row's fields; audit_head keeps the last id and hash, so that
   * removing the newest rows is noticed too. */
  "CREATE TABLE audit_events ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor_id INTEGER,"
  "  actor_name TEXT,"
  "  actor_roles TEXT,"
  "  action TEXT NOT NULL,"
  "  target TEXT,"
  "  remote_address TEXT,"
  "  details TEXT,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "CREATE TABLE audit_head ("
  "  one INTEGER PRIMARY KEY CHECK (one = 1),"
  "  last_id INTEGER NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "INSERT INTO audit_head (one, last_id, hash) VALUES"
  "  (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');"
  /* The first successful answer to a POST with an Idempotency-Key, per caller. */
  "CREATE TABLE idempotency_keys ("
  "  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,"
  "  key TEXT NOT NULL,"
  "  request_hash TEXT NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  location TEXT,"
  "  body BLOB NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  PRIMARY KEY (person_id, key)"
  ");"
  "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);",

  /* 2 → 3: devices, elevation requests, admin contacts, designation changes
   * (owned by the elevation work). Append further steps after it. */
  "CREATE TABLE devices ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  serial_number TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  device_group TEXT NOT NULL CHECK (device_group IN ('test', 'first', 'fast', 'broad')),"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  /* One local administrator password per device, sealed (esc-service-crypto.c);
   * the key is in "<database>.key", never in here. */
  "CREATE TABLE device_passwords ("
  "  device_id INTEGER PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,"
  "  sealed TEXT NOT NULL,"
  "  generation INTEGER NOT NULL,"
  "  rotated_at TEXT NOT NULL,"
  "  rotates_at TEXT NOT NULL"
  ");"
  /* AUTOINCREMENT: ids of purged requests are never given out again. */
  "CREATE TABLE elevation_requests ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  device_id INTEGER NOT NULL REFERENCES devices (id),"
  "  requested_by INTEGER NOT NULL REFERENCES people (id),"
  "  ticket_id TEXT NOT NULL,"
  "  category TEXT NOT NULL,"
  "  subcategory TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  plan_of_action TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),"
  "  created_at TEXT NOT NULL,"
  "  expires_at TEXT NOT NULL,"
  "  renewed_at TEXT,"
  "  renewals INTEGER NOT NULL DEFAULT 0,"
  "  closed_at TEXT,"
  "  closed_by INTEGER REFERENCES people (id),"
  "  actions_taken TEXT"
  ");"
  "CREATE INDEX elevation_requests_device ON elevation_requests (device_id, state, expires_at);"
  "CREATE INDEX elevation_requests_requester ON elevation_requests (requested_by, id);"
  "CREATE INDEX elevation_requests_created ON elevation_requests (created_at);"
  "CREATE TABLE elevation_views ("
  "  id INTEGER PRIMARY KEY,"
  "  request_id INTEGER NOT NULL REFERENCES elevation_requests (id) ON DELETE CASCADE,"
  "  person_id INTEGER NOT NULL REFERENCES people (id),"
  "  viewed_at TEXT NOT NULL,"
  "  password_generation INTEGER NOT NULL"
  ");"
  "CREATE INDEX elevation_views_request ON elevation_views (request_id, id);"
  /* Shown with the elevation form (GET /v1/elevation-guidance). */
  "CREATE TABLE elevation_guidance ("
  "  kind TEXT NOT NULL CHECK (kind IN ('typical', 'not-recommended', 'not-supported')),"
  "  position INTEGER NOT NULL,"
  "  text TEXT NOT NULL,"
  "  PRIMARY KEY (kind, position)"
  ");"
  "INSERT INTO elevation_guidance (kind, position, text) VALUES"
  "  ('typical', 1, 'Running troubleshooters'),"
  "  ('typical', 2, 'Running cmd or PowerShell elevated'),"
  "  ('typical', 3, 'Troubleshooting a line-of-business app'),"
  "  ('typical', 4, 'Working around a BitLocker or clock problem'),"
  "  ('typical', 5, 'Using Device Manager'),"
  "  ('not-recommended', 1, 'Installing software'),"
  "  ('not-recommended', 2, 'Installing browsers'),"
  "  ('not-recommended', 3, 'Installing drivers'),"
  "  ('not-recommended', 4, 'Running .msi or .exe installers'),"
  "  ('not-recommended', 5, 'Adding Windows features'),"
  "  ('not-supported', 1, 'Anything that disables a required security feature, such as BitLocker'),"
  "  ('not-supported', 2, 'Changing settings the organisation manages');"
  "CREATE TABLE admin_contacts ("
  "  area TEXT PRIMARY KEY"
  "    CHECK (area IN ('app-packaging', 'devices', 'security', 'it-help-desk', 'other')),"
  "  given_name TEXT NOT NULL,"
  "  surname TEXT NOT NULL,"
  "  email TEXT NOT NULL,"
  "  phone TEXT NOT NULL,"
  "  preferred_method TEXT NOT NULL CHECK (preferred_method IN ('email', 'phone')),"
  "  language TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  updated_by INTEGER REFERENCES people (id)"
  ");"
  /* Who set each designation, and when (NULL: the command line, or before 3). */
  "ALTER TABLE designations ADD COLUMN granted_by INTEGER REFERENCES people (id);"
  "ALTER TABLE designations ADD COLUMN granted_at TEXT;"
  "INSERT INTO settings (key, value) VALUES"
  "  ('elevation.max-open-per-device', '3'),"
  "  ('elevation.password-rotation-seconds', '7200'),"
  "  ('elevation.access-seconds', '28800'),"
  "  ('elevation.retention-days', '90'),"
  "  ('elevation.account', 'escadmin');",

  /* 3 → 4: an audit trail no one can rewrite through the service's SQL:
   * events refuse UPDATE and DELETE; signed checkpoints (esc-service-audit.c),
   * which refuse them too. */
  "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events"
  " BEGIN SELECT RAISE (ABORT, 'audit events are append-only: no UPDATE'); END;"
  "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events"
  " BEGIN SELECT RAISE (ABORT, 'audit events are append-only: no DELETE'); END;"
  "CREATE TABLE audit_checkpoints ("
  "  id INTEGER PRIMARY KEY,"
  "  last_id INTEGER NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  at TEXT NOT NULL,"
  "  public_key TEXT NOT NULL,"
  "  signature TEXT NOT NULL"
  ");"
  "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints"
  " BEGIN SELECT RAISE (ABORT, 'audit checkpoints are append-only: no UPDATE'); END;"
  "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints"
  " BEGIN SELECT RAISE (ABORT, 'audit checkpoints are append-only: no DELETE'); END;"
  "INSERT INTO settings (key, value) VALUES ('audit.checkpoint-every', '100');",

  /* 4 → 5: SLAs for user support (esc-service-sla.c): business-hours
   * calendars, the service's admin support hours among them (seeded: 24
   * hours a day, Monday to Friday, UTC, no holidays; editable), and
   * agreements with their versions. @revision makes each row's ETag. */
  "CREATE TABLE sla_calendars ("
  "  id TEXT PRIMARY KEY,"
  "  body TEXT NOT NULL,"
  "  revision INTEGER NOT NULL DEFAULT 1,"
  "  updated_at TEXT NOT NULL,"
  "  updated_by INTEGER REFERENCES people (id)"
  ");"
  "INSERT INTO sla_calendars (id, body, updated_at) VALUES ('admin-hours',"
  "  '{\"name\":\"Admin support hours\",\"time_zone\":\"UTC\",\"always_open\":false,\"week\":{"
  "\"monday\":[{\"start\":\"00:00\",\"end\":\"24:00\"}],\"tuesday\":[{\"start\":\"00:00\",\"end\":\"24:00\"}],"
  "\"wednesday\":[{\"start\":\"00:00\",\"end\":\"24:00\"}],\"thursday\":[{\"start\":\"00:00\",\"end\":\"24:00\"}],"
  "\"friday\":[{\"start\":\"00:00\",\"end\":\"24:00\"}],\"saturday\":[],\"sunday\":[]},"
  "\"holidays\":[],\"closures\":[]}',"
  "  '1970-01-01T00:00:00Z');"
  "CREATE TABLE sla_agreements ("
  "  seq INTEGER PRIMARY KEY,"
  "  created_at TEXT NOT NULL,"
  "  created_by INTEGER REFERENCES people (id)"
  ");"
  "CREATE TABLE sla_agreement_versions ("
  "  agreement_seq INTEGER NOT NULL REFERENCES sla_agreements (seq),"
  "  version INTEGER NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('draft', 'agreed', 'superseded', 'retired')),"
  "  terms TEXT NOT NULL,"
  "  revision INTEGER NOT NULL DEFAULT 1,"
  "  created_at TEXT NOT NULL,"
  "  created_by INTEGER REFERENCES people (id),"
  "  it_admin_accepted_at TEXT,"
  "  it_admin_accepted_by INTEGER REFERENCES people (id),"
  "  partner_accepted_at TEXT,"
  "  partner_accepted_by INTEGER REFERENCES people (id),"
  "  agreed_at TEXT,"
  "  superseded_at TEXT,"
  "  retired_at TEXT,"
  "  retired_by INTEGER REFERENCES people (id),"
  "  PRIMARY KEY (agreement_seq, version)"
  ");"
  /* At most one draft and one agreed version per agreement. */
  "CREATE UNIQUE INDEX sla_agreement_versions_one_draft ON sla_agreement_versions (agreement_seq)"
  "  WHERE state = 'draft';"
  "CREATE UNIQUE INDEX sla_agreement_versions_one_agreed ON sla_agreement_versions (agreement_seq)"
  "  WHERE state = 'agreed';",

  /* 5 → 6: staff and access (issue 10). A person's team and whether their
   * access was removed; tokens expire ("token.lifetime-days", 90) and record
   * when they were last used (at most once a minute). Tokens made before
   * this step get the full lifetime from the upgrade on. */
  "ALTER TABLE people ADD COLUMN team TEXT;"
  "ALTER TABLE people ADD COLUMN disabled_at TEXT;"
  "CREATE INDEX people_email ON people (email COLLATE NOCASE);"
  "ALTER TABLE tokens ADD COLUMN expires_at TEXT;"
  "ALTER TABLE tokens ADD COLUMN last_used_at TEXT;"
  "UPDATE tokens SET expires_at = strftime ('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days');"
  "INSERT INTO settings (key, value) VALUES"
  "  ('token.lifetime-days', '90'),"
  "  ('token.last-used-interval-seconds', '60');",

  /* 6 → 7: the support model (esc-service-support-model.c): one row,
   * customer-led or partner-led (NULL until an IT administrator chooses),
   * the support provider's name and contacts. @revision makes its ETag. */
  "CREATE TABLE support_model ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  model TEXT CHECK (model IN ('customer-led', 'partner-led')),"
  "  provider_name TEXT NOT NULL DEFAULT '',"
  "  provider_contacts TEXT NOT NULL DEFAULT '',"
  "  revision INTEGER NOT NULL DEFAULT 1,"
  "  updated_at TEXT,"
  "  updated_by INTEGER REFERENCES people (id)"
  ");"
  "INSERT INTO support_model (id) VALUES (1);",

  /* 7 → 8: why an elevation request was closed (issue 10): "closed" by its
   * requester, or ended by a designation withdrawn or expired or by Remove
   * access; closed_by then names the administrator who did it, or is null
   * when the service did on its own. Requests closed before this step say
   * why in their actions_taken. */
  "ALTER TABLE elevation_requests ADD COLUMN closed_reason TEXT"
  "  CHECK (closed_reason IN ('closed', 'designation-withdrawn', 'designation-expired', 'access-removed'));"
  "UPDATE elevation_requests SET closed_reason = CASE"
  "    WHEN closed_by IS NOT NULL THEN 'closed'"
  "    WHEN actions_taken = 'designation withdrawn' THEN 'designation-withdrawn'"
  "    WHEN actions_taken = 'designation expired' THEN 'designation-expired'"
  "    WHEN actions_taken = 'access removed' THEN 'access-removed'"
  "    ELSE 'closed' END"
  "  WHERE state = 'closed';",

  /* 8 → 9: device names and serial numbers are found and sorted by
   * lower (…), which SQLite and PostgreSQL (issue 13) read the same way;
   * these indexes serve it, as the NOCASE ones served "=". */
  ("CREATE UNIQUE INDEX devices_lower_name ON devices (lower (name));"
   "CREATE UNIQUE INDEX devices_lower_serial_number ON devices (lower (serial_number));"),
};

/**
 * esc_service_db_get_migration:
 * @from_version: a schema version
 *
 * For tests that build a database as an older release left it.
 *
 * Returns: (nullable): the SQL taking the schema from @from_version to the next
 */
const char *
esc_service_db_get_migration (int from_version)
{
  if (from_version < 0 || from_version >= (int)G_N_ELEMENTS (migrations))
    return NULL;

  return migrations[from_version];
}

/* The number of steps: the latest schema version. */
int
esc_service_db_count_migrations (void)
{
  return G_N_ELEMENTS (migrations);
}
