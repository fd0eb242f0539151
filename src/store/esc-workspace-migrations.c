/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include "esc-store-private.h"
#include "esc-workspace.h"

/* The workspace schema, as a list of forward migrations. Migration N takes a
 * file from PRAGMA user_version N-1 to N; the runner in esc-workspace.c applies
 * them in order inside one transaction and then sets user_version.
 *
 * To change the schema: append a migration here (never edit a released one),
 * bump ESC_WORKSPACE_SCHEMA_VERSION, and the tests open a file created at every
 * older version (esc_workspace_create_at_version()). */

typedef gboolean (*EscWorkspaceMigration) (sqlite3     *db,
                                           const char  *path,
                                           GError     **error);

/* 1: the seeded tables (roles matrix, routing matrix, severity definitions),
 * settings and the local audit. Times are RFC 3339 UTC text. */
static gboolean
migration_1 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  static const char sql[] =
    "CREATE TABLE parties ("
    "  id       TEXT PRIMARY KEY NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  name     TEXT NOT NULL,"
    "  summary  TEXT"
    ");"
    "CREATE TABLE responsibilities ("
    "  party_id TEXT NOT NULL REFERENCES parties (id) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  text     TEXT NOT NULL,"
    "  UNIQUE (party_id, position)"
    ");"
    "CREATE TABLE routing_rules ("
    "  id          TEXT PRIMARY KEY NOT NULL,"
    "  position    INTEGER NOT NULL,"
    "  problem     TEXT NOT NULL,"
    "  example     TEXT,"
    "  destination TEXT NOT NULL"
    "              CHECK (destination IN ('operations', 'hardware-vendor', 'existing-channel')),"
    "  team        TEXT NOT NULL,"
    "  action      TEXT"
    ");"
    "CREATE TABLE severities ("
    "  letter                   TEXT PRIMARY KEY NOT NULL CHECK (letter IN ('A', 'B', 'C')),"
    "  name                     TEXT NOT NULL,"
    "  situation                TEXT,"
    "  initial_response_minutes INTEGER NOT NULL CHECK (initial_response_minutes > 0),"
    "  update_cadence_minutes   INTEGER NOT NULL CHECK (update_cadence_minutes > 0),"
    "  coverage                 TEXT,"
    "  downgrade                TEXT"
    ");"
    "CREATE TABLE settings ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT"
    ");"
    "CREATE TABLE local_audit ("
    "  id     INTEGER PRIMARY KEY,"
    "  at     TEXT NOT NULL,"
    "  actor  TEXT NOT NULL,"
    "  what   TEXT NOT NULL,"
    "  detail TEXT"
    ");";

  return esc_store_exec (db, path, sql, error);
}

/* 2: the outbox of changes waiting to be sent to the service, and the mirror
 * of what the service holds (support requests with their timelines, staff,
 * audit events) with the sync cursors. Rows of the mirror are keyed by the
 * service's base URL, so that two services never mix; each keeps the JSON
 * the service sent, and the columns the lists sort and filter on. */
static gboolean
migration_2 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  static const char sql[] =
    "CREATE TABLE outbox ("
    "  id              INTEGER PRIMARY KEY,"
    "  service         TEXT NOT NULL,"
    "  account         TEXT NOT NULL,"
    "  kind            TEXT NOT NULL,"
    "  method          TEXT NOT NULL CHECK (method IN ('POST', 'PATCH', 'PUT')),"
    "  path            TEXT NOT NULL,"
    "  target          TEXT,"
    "  title           TEXT NOT NULL,"
    "  body            TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'refused')),"
    "  created_at      TEXT NOT NULL,"
    "  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),"
    "  last_attempt_at TEXT,"
    "  next_attempt_at TEXT,"
    "  error_code      TEXT,"
    "  error_status    INTEGER,"
    "  error_message   TEXT,"
    "  error_field     TEXT"
    ");"
    "CREATE INDEX outbox_by_account ON outbox (service, account, state, id);"
    "CREATE TABLE mirror_support_requests ("
    "  service         TEXT NOT NULL,"
    "  id              TEXT NOT NULL,"
    "  kind            TEXT NOT NULL,"
    "  type            TEXT NOT NULL,"
    "  severity        TEXT NOT NULL,"
    "  state           TEXT NOT NULL,"
    "  title           TEXT NOT NULL,"
    "  filed_by        TEXT,"
    "  created_at      TEXT NOT NULL,"
    "  updated_at      TEXT NOT NULL,"
    "  response_due_at TEXT,"
    "  json            TEXT NOT NULL,"
    "  synced_at       TEXT NOT NULL,"
    "  PRIMARY KEY (service, id)"
    ");"
    "CREATE INDEX mirror_support_requests_by_update"
    "  ON mirror_support_requests (service, updated_at DESC, id DESC);"
    "CREATE TABLE mirror_timeline_events ("
    "  service         TEXT NOT NULL,"
    "  request_id      TEXT NOT NULL,"
    "  id              INTEGER NOT NULL,"
    "  at              TEXT NOT NULL,"
    "  kind            TEXT NOT NULL,"
    "  json            TEXT NOT NULL,"
    "  PRIMARY KEY (service, request_id, id)"
    ");"
    "CREATE TABLE mirror_staff ("
    "  service         TEXT NOT NULL,"
    "  id              INTEGER NOT NULL,"
    "  name            TEXT NOT NULL,"
    "  email           TEXT,"
    "  json            TEXT NOT NULL,"
    "  synced_at       TEXT NOT NULL,"
    "  PRIMARY KEY (service, id)"
    ");"
    "CREATE TABLE mirror_audit_events ("
    "  service         TEXT NOT NULL,"
    "  id              INTEGER NOT NULL,"
    "  at              TEXT NOT NULL,"
    "  action          TEXT NOT NULL,"
    "  actor           TEXT,"
    "  target          TEXT,"
    "  remote_address  TEXT,"
    "  json            TEXT NOT NULL,"
    "  PRIMARY KEY (service, id)"
    ");"
    "CREATE TABLE sync_state ("
    "  service         TEXT NOT NULL,"
    "  account         TEXT NOT NULL,"
    "  what            TEXT NOT NULL,"
    "  cursor          TEXT,"
    "  synced_at       TEXT,"
    "  PRIMARY KEY (service, account, what)"
    ");";

  return esc_store_exec (db, path, sql, error);
}

/* 3: what the Requests screen needs to list, sort, filter and search 100 000
 * mirrored support requests per keystroke, and the drafts of its form.
 *
 * - mirror_support_requests_list: one narrow row per mirrored request, keyed
 *   by the mirror row's rowid, with what the list sorts and filters on (the
 *   enums as integer codes in the core's order, the filer's id and the next
 *   action owner taken out of the JSON), and `attrs`, everything the filters
 *   look at in one integer: kind | type << 2 | severity << 4 | state << 8 |
 *   filer id << 12 (3, 3, 3, 15 and 0 for what is unknown). One covering index
 *   per sortable column, (service, column, number, attrs), so that listing a
 *   service in any order with its filter attributes reads one index and
 *   decodes two columns (src/store/esc-request-list-query.c). SQLite 3.40 cannot
 *   cover with indexes on generated columns, hence a real table.
 * - mirror_support_requests_search: an FTS5 index of id, number, title,
 *   description and device names, keyed by the same rowid.
 * - Triggers on mirror_support_requests keep both in step, in the writer's
 *   transaction, so that the writers of the mirror do not change. INSERT OR
 *   REPLACE deletes the old row without firing delete triggers: the BEFORE
 *   INSERT trigger drops its rows first. Both tables are deleted from by key,
 *   which is harmless when the row is already gone (also with SQLite's
 *   recursive triggers on). Should the workspace ever be VACUUMed, the mirror's
 *   rowids may change: rebuild both then, as below.
 * - drafts: one JSON draft per account and form, saved as the user types. */
#define KIND_CODE(row) "CASE " row ".kind WHEN 'admin' THEN 0 WHEN 'escalation' THEN 1 END"
#define TYPE_CODE(row) \
  "CASE " row ".type WHEN 'incident' THEN 0 WHEN 'request-for-information' THEN 1" \
  " WHEN 'change-request' THEN 2 END"
#define SEVERITY_CODE(row) "CASE " row ".severity WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'C' THEN 2 END"
#define STATE_CODE(row) \
  "CASE " row ".state WHEN 'new' THEN 0 WHEN 'in-progress' THEN 1" \
  " WHEN 'waiting-on-customer' THEN 2 WHEN 'mitigated' THEN 3 WHEN 'resolved' THEN 4" \
  " WHEN 'closed' THEN 5 END"
#define LIST_VALUES(row) \
  "     " row ".rowid, " row ".service, " \
  "     CAST (substr (" row ".id, instr (" row ".id, '-') + 1) AS INTEGER)," \
  "     " TYPE_CODE (row) ", " SEVERITY_CODE (row) ", " STATE_CODE (row) "," \
  "     json_extract (" row ".json, '$.filed_by.id')," \
  /* SQLite's << and | bind alike: every shift in parentheses */ \
  "     coalesce (" KIND_CODE (row) ", 3) | (coalesce (" TYPE_CODE (row) ", 3) << 2)" \
  "     | (coalesce (" SEVERITY_CODE (row) ", 3) << 4) | (coalesce (" STATE_CODE (row) ", 15) << 8)" \
  "     | (coalesce (json_extract (" row ".json, '$.filed_by.id'), 0) << 12)," \
  "     " row ".title, " row ".filed_by," \
  "     json_extract (" row ".json, '$.next_action_owner'), " row ".response_due_at, " \
  row ".updated_at"
#define LIST_COLUMNS \
  "(key, service, number, type_code, severity_code, state_code, filer_id, attrs," \
  " title, filer, next_action_owner, response_due_at, updated_at)"
#define SEARCH_VALUES(row) \
  "     " row ".rowid, " row ".id, CAST (substr (" row ".id, instr (" row ".id, '-') + 1) AS INTEGER)," \
  "     " row ".title, json_extract (" row ".json, '$.description')," \
  /* The JSON text of the array: the tokenizer skips its brackets and quotes. */ \
  "     json_extract (" row ".json, '$.devices')"
#define SEARCH_COLUMNS "(rowid, id, number, title, description, devices)"
#define FILTER_CODES "number, attrs"

static gboolean
migration_3 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  static const char sql[] =
    "CREATE TABLE mirror_support_requests_list ("
    "  key               INTEGER PRIMARY KEY,"
    "  service           TEXT NOT NULL,"
    "  number            INTEGER,"
    "  type_code         INTEGER,"
    "  severity_code     INTEGER,"
    "  state_code        INTEGER,"
    "  filer_id          INTEGER,"
    "  attrs             INTEGER NOT NULL,"
    "  title             TEXT,"
    "  filer             TEXT,"
    "  next_action_owner TEXT,"
    "  response_due_at   TEXT,"
    "  updated_at        TEXT"
    ");"
    "CREATE INDEX mirror_support_requests_list_by_number ON mirror_support_requests_list"
    "  (service, " FILTER_CODES ");"
    "CREATE INDEX mirror_support_requests_list_by_type ON mirror_support_requests_list"
    "  (service, type_code, " FILTER_CODES ");"
    "CREATE INDEX mirror_support_requests_list_by_severity ON mirror_support_requests_list"
    "  (service, severity_code, " FILTER_CODES ");"
    "CREATE INDEX mirror_support_requests_list_by_state ON mirror_support_requests_list"
    "  (service, state_code, " FILTER_CODES ");"
    "CREATE INDEX mirror_support_requests_list_by_title ON mirror_support_requests_list"
    "  (service, title COLLATE NOCASE, " FILTER_CODES ");"
    "CREATE INDEX mirror_support_requests_list_by_filer ON mirror_support_requests_list"
    "  (service, filer COLLATE NOCASE, " FILTER_CODES ");"
    "CREATE INDEX mirror_support_requests_list_by_next_action_owner"
    "  ON mirror_support_requests_list (service, next_action_owner, " FILTER_CODES ");"
    "CREATE INDEX mirror_support_requests_list_by_response_due ON mirror_support_requests_list"
    "  (service, response_due_at, " FILTER_CODES ");"
    "CREATE INDEX mirror_support_requests_list_by_update ON mirror_support_requests_list"
    "  (service, updated_at, " FILTER_CODES ");"
    "CREATE VIRTUAL TABLE mirror_support_requests_search USING fts5 ("
    "  id, number, title, description, devices,"
    "  tokenize = 'unicode61 remove_diacritics 2',"
    "  prefix = '1 2 3'"
    ");"
    "INSERT INTO mirror_support_requests_list " LIST_COLUMNS
    "  SELECT " LIST_VALUES ("m") " FROM mirror_support_requests AS m;"
    "INSERT INTO mirror_support_requests_search " SEARCH_COLUMNS
    "  SELECT " SEARCH_VALUES ("m") " FROM mirror_support_requests AS m;"
    "CREATE TRIGGER mirror_support_requests_replace"
    "  BEFORE INSERT ON mirror_support_requests BEGIN"
    "    DELETE FROM mirror_support_requests_list WHERE key IN"
    "      (SELECT rowid FROM mirror_support_requests WHERE service = new.service AND id = new.id);"
    "    DELETE FROM mirror_support_requests_search WHERE rowid IN"
    "      (SELECT rowid FROM mirror_support_requests WHERE service = new.service AND id = new.id);"
    "  END;"
    "CREATE TRIGGER mirror_support_requests_insert"
    "  AFTER INSERT ON mirror_support_requests BEGIN"
    "    INSERT OR REPLACE INTO mirror_support_requests_list " LIST_COLUMNS
    "      VALUES (" LIST_VALUES ("new") ");"
    "    INSERT OR REPLACE INTO mirror_support_requests_search " SEARCH_COLUMNS
    "      VALUES (" SEARCH_VALUES ("new") ");"
    "  END;"
    "CREATE TRIGGER mirror_support_requests_update"
    "  AFTER UPDATE ON mirror_support_requests BEGIN"
    "    DELETE FROM mirror_support_requests_list WHERE key = old.rowid;"
    "    DELETE FROM mirror_support_requests_search WHERE rowid = old.rowid;"
    "    INSERT OR REPLACE INTO mirror_support_requests_list " LIST_COLUMNS
    "      VALUES (" LIST_VALUES ("new") ");"
    "    INSERT OR REPLACE INTO mirror_support_requests_search " SEARCH_COLUMNS
    "      VALUES (" SEARCH_VALUES ("new") ");"
    "  END;"
    "CREATE TRIGGER mirror_support_requests_delete"
    "  AFTER DELETE ON mirror_support_requests BEGIN"
    "    DELETE FROM mirror_support_requests_list WHERE key = old.rowid;"
    "    DELETE FROM mirror_support_requests_search WHERE rowid = old.rowid;"
    "  END;"
    "CREATE TABLE drafts ("
    "  account  TEXT NOT NULL,"
    "  form     TEXT NOT NULL,"
    "  json     TEXT NOT NULL,"
    "  saved_at TEXT NOT NULL,"
    "  PRIMARY KEY (account, form)"
    ");";

  return esc_store_exec (db, path, sql, error);
}

#undef KIND_CODE
#undef TYPE_CODE
#undef SEVERITY_CODE
#undef STATE_CODE
#undef LIST_VALUES
#undef LIST_COLUMNS
#undef SEARCH_VALUES
#undef SEARCH_COLUMNS
#undef FILTER_CODES

/* 4: editable roles and routing matrices (issue 12).
 *
 * - responsibilities get an id of their own (rows are added, edited, moved and
 *   removed one by one) and lose UNIQUE (party_id, position), which a move
 *   would break half-way; the order is (position, id) within a party.
 * - responsibility_areas: the areas a responsibility covers, as a list.
 * - responsibility_raci: each party's part (R, A, C or I) in a responsibility;
 *   an older file's rows become R for the party that held them.
 * - routing_rules may name a team the organisation adds ('organisation-team'),
 *   say how to reach the team (reach, reach_address) and which help-desk tiers
 *   may use the route (tiers: 1 tier 1, 2 tier 2, 4 escalation support team).
 *   An older file's rows get the tiers of the source: the service's operations
 *   team only through the escalation support team, the hardware vendor from
 *   any tier, the existing channel from tier 2 up. */
static gboolean
migration_4 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  static const char sql[] =
    "CREATE TABLE responsibilities_4 ("
    "  id       INTEGER PRIMARY KEY,"
    "  party_id TEXT NOT NULL REFERENCES parties (id) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  text     TEXT NOT NULL"
    ");"
    "INSERT INTO responsibilities_4 (party_id, position, text)"
    "  SELECT party_id, position, text FROM responsibilities ORDER BY party_id, position;"
    "DROP TABLE responsibilities;"
    "ALTER TABLE responsibilities_4 RENAME TO responsibilities;"
    "CREATE INDEX responsibilities_by_party ON responsibilities (party_id, position, id);"
    "CREATE TABLE responsibility_areas ("
    "  responsibility_id INTEGER NOT NULL REFERENCES responsibilities (id) ON DELETE CASCADE,"
    "  position          INTEGER NOT NULL,"
    "  text              TEXT NOT NULL,"
    "  PRIMARY KEY (responsibility_id, position)"
    ");"
    "CREATE TABLE responsibility_raci ("
    "  responsibility_id INTEGER NOT NULL REFERENCES responsibilities (id) ON DELETE CASCADE,"
    "  party_id          TEXT NOT NULL REFERENCES parties (id) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  letter            TEXT NOT NULL CHECK (letter IN ('R', 'A', 'C', 'I')),"
    "  PRIMARY KEY (responsibility_id, party_id)"
    ");"
    "INSERT INTO responsibility_raci (responsibility_id, party_id, letter)"
    "  SELECT id, party_id, 'R' FROM responsibilities;"
    "CREATE TABLE routing_rules_4 ("
    "  id            TEXT PRIMARY KEY NOT NULL,"
    "  position      INTEGER NOT NULL,"
    "  problem       TEXT NOT NULL,"
    "  example       TEXT,"
    "  destination   TEXT NOT NULL"
    "                CHECK (destination IN ('operations', 'hardware-vendor', 'existing-channel',"
    "                                       'organisation-team')),"
    "  team          TEXT NOT NULL,"
    "  action        TEXT,"
    "  reach         TEXT NOT NULL DEFAULT ''"
    "                CHECK (reach IN ('', 'portal', 'phone', 'email', 'url')),"
    "  reach_address TEXT,"
    "  tiers         INTEGER NOT NULL DEFAULT 7 CHECK (tiers BETWEEN 0 AND 7)"
    ");"
    "INSERT INTO routing_rules_4 (id, position, problem, example, destination, team, action, tiers)"
    "  SELECT id, position, problem, example, destination, team, action,"
    "         CASE destination WHEN 'operations' THEN 4 WHEN 'hardware-vendor' THEN 7 ELSE 6 END"
    "  FROM routing_rules;"
    "DROP TABLE routing_rules;"
    "ALTER TABLE routing_rules_4 RENAME TO routing_rules;";

  return esc_store_exec (db, path, sql, error);
}

/* 5: what the Staff & access screen needs to list, filter and search 10 000
 * people at once: one narrow row per mirrored staff member, keyed by the
 * mirror row's rowid, with the columns the list shows and filters on taken
 * out of the JSON: the team, the roles and the live designations as bits
 * (roles: it-admin 1, partner-manager 2, support-staff 4, operator 8;
 * designations: elevation 1, escalation 2), when each designation expires,
 * whether the person is disabled and the service's etag. Triggers keep it in
 * step with mirror_staff, as migration 3 does for the requests. */
#define ROLE_BIT(row, role, bit) \
  "(CASE WHEN EXISTS (SELECT 1 FROM json_each (" row ".json, '$.roles') WHERE value = '" role "')" \
  " THEN " bit " ELSE 0 END)"
#define DESIGNATION(row, capability, what) \
  "(SELECT " what " FROM json_each (" row ".json, '$.designations')" \
  "  WHERE json_extract (value, '$.capability') = '" capability "'" \
  "    AND coalesce (json_extract (value, '$.active'), 1) LIMIT 1)"
#define STAFF_LIST_VALUES(row) \
  "     " row ".rowid, " row ".service, " row ".id, " row ".name, " row ".email," \
  "     json_extract (" row ".json, '$.team')," \
  "     " ROLE_BIT (row, "it-admin", "1") " | " ROLE_BIT (row, "partner-manager", "2") \
  "     | " ROLE_BIT (row, "support-staff", "4") " | " ROLE_BIT (row, "operator", "8") "," \
  "     coalesce (" DESIGNATION (row, "elevation", "1") ", 0)" \
  "     | coalesce (" DESIGNATION (row, "escalation", "2") ", 0)," \
  "     " DESIGNATION (row, "elevation", "json_extract (value, '$.expires_at')") "," \
  "     " DESIGNATION (row, "escalation", "json_extract (value, '$.expires_at')") "," \
  "     coalesce (json_extract (" row ".json, '$.disabled'), 0)," \
  "     json_extract (" row ".json, '$.etag')"
#define STAFF_LIST_COLUMNS \
  "(key, service, id, name, email, team, role_bits, designation_bits," \
  " elevation_expires_at, escalation_expires_at, disabled, etag)"

static gboolean
migration_5 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  static const char sql[] =
    "CREATE TABLE mirror_staff_list ("
    "  key                   INTEGER PRIMARY KEY,"
    "  service               TEXT NOT NULL,"
    "  id                    INTEGER NOT NULL,"
    "  name                  TEXT NOT NULL,"
    "  email                 TEXT,"
    "  team                  TEXT,"
    "  role_bits             INTEGER NOT NULL,"
    "  designation_bits      INTEGER NOT NULL,"
    "  elevation_expires_at  TEXT,"
    "  escalation_expires_at TEXT,"
    "  disabled              INTEGER NOT NULL,"
    "  etag                  TEXT"
    ");"
    "CREATE INDEX mirror_staff_list_by_service ON mirror_staff_list (service);"
    "INSERT INTO mirror_staff_list " STAFF_LIST_COLUMNS
    "  SELECT " STAFF_LIST_VALUES ("m") " FROM mirror_staff AS m;"
    "CREATE TRIGGER mirror_staff_replace"
    "  BEFORE INSERT ON mirror_staff BEGIN"
    "    DELETE FROM mirror_staff_list WHERE key IN"
    "      (SELECT rowid FROM mirror_staff WHERE service = new.service AND id = new.id);"
    "  END;"
    "CREATE TRIGGER mirror_staff_insert"
    "  AFTER INSERT ON mirror_staff BEGIN"
    "    INSERT OR REPLACE INTO mirror_staff_list " STAFF_LIST_COLUMNS
    "      VALUES (" STAFF_LIST_VALUES ("new") ");"
    "  END;"
    "CREATE TRIGGER mirror_staff_update"
    "  AFTER UPDATE ON mirror_staff BEGIN"
    "    DELETE FROM mirror_staff_list WHERE key = old.rowid;"
    "    INSERT OR REPLACE INTO mirror_staff_list " STAFF_LIST_COLUMNS
    "      VALUES (" STAFF_LIST_VALUES ("new") ");"
    "  END;"
    "CREATE TRIGGER mirror_staff_delete"
    "  AFTER DELETE ON mirror_staff BEGIN"
    "    DELETE FROM mirror_staff_list WHERE key = old.rowid;"
    "  END;";

  return esc_store_exec (db, path, sql, error);
}

#undef ROLE_BIT
#undef DESIGNATION
#undef STAFF_LIST_VALUES
#undef STAFF_LIST_COLUMNS

/* 6: an outbox change may carry the If-Match it is sent with (the etag of the
 * person whose designations it sets, as the user saw them), so that a change
 * made meanwhile by someone else is refused (412) rather than overwritten. */
static gboolean
migration_6 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  return esc_store_exec (db, path, "ALTER TABLE outbox ADD COLUMN if_match TEXT;", error);
}

/* 7: SLA compliance — the tickets imported from the help desk's CSV exports,
 * per source, and each source's column mapping (JSON, recognised by its
 * header line). Ticket times are integers (microseconds since the epoch,
 * UTC), not RFC 3339 text: the report reads and compares hundreds of
 * thousands of them. */
static gboolean
migration_7 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  static const char sql[] =
    "CREATE TABLE compliance_sources ("
    "  name      TEXT PRIMARY KEY NOT NULL,"
    "  signature TEXT,"
    "  mapping   TEXT NOT NULL,"
    "  saved_at  TEXT NOT NULL"
    ");"
    "CREATE INDEX compliance_sources_by_signature ON compliance_sources (signature);"
    "CREATE TABLE compliance_tickets ("
    "  source         TEXT NOT NULL REFERENCES compliance_sources (name) ON DELETE CASCADE,"
    "  ticket_id      TEXT NOT NULL,"
    /* Not IN ('A', 'B', 'C'): SQLite builds a temporary index for an IN
     * list at every insert, which took most of an import's time */
    "  severity       TEXT NOT NULL CHECK (severity = 'A' OR severity = 'B' OR severity = 'C'),"
    "  created        INTEGER NOT NULL,"
    "  first_response INTEGER,"
    "  last_update    INTEGER,"
    "  resolved       INTEGER,"
    "  status         TEXT,"
    "  reopened       INTEGER NOT NULL DEFAULT 0 CHECK (reopened >= 0),"
    "  paused         INTEGER NOT NULL DEFAULT 0 CHECK (paused >= 0),"
    "  PRIMARY KEY (source, ticket_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX compliance_tickets_by_created ON compliance_tickets (created);";

  return esc_store_exec (db, path, sql, error);
}

/* 8: the admin contacts of each service (GET /v1/admin-contacts, one per
 * area of focus), so that the Staff & access screen shows them, and flags a
 * missing one, offline too. The JSON is the AdminContact as the service sent it. */
static gboolean
migration_8 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  return esc_store_exec (db, path,
                         "CREATE TABLE mirror_admin_contacts ("
                         "  service   TEXT NOT NULL,"
                         "  area      TEXT NOT NULL,"
                         "  json      TEXT NOT NULL,"
                         "  synced_at TEXT NOT NULL,"
                         "  PRIMARY KEY (service, area)"
                         ");",
                         error);
}

static const EscWorkspaceMigration migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
  migration_8,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == ESC_WORKSPACE_SCHEMA_VERSION);

gboolean
esc_workspace_run_migration (sqlite3     *db,
                             const char  *path,
                             int          to_version,
                             GError     **error)
{
  g_return_val_if_fail (to_version >= 1, FALSE);
  g_return_val_if_fail (to_version <= (int)G_N_ELEMENTS (migrations), FALSE);

  g_debug ("Migrating %s to schema %d", path, to_version);

  return migrations[to_version - 1] (db, path, error);
}
