/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "esc-workspace.h"
#include "esc-workspace-bench.h"

/* bench/make-workspace: writes a realistic workspace of any size, the same for the same seed.
 *
 *   make-workspace [--seed N] [--requests N] [--staff N] [--service URL] [--now TIME] [--force] FILE
 *
 * The workspace is created through the store (migrations and seeded defaults as the app does),
 * then the mirror of the service is filled in one transaction: staff with their roles and
 * designations, support requests as the service sends them (JSON of the v1 API, openapi.yaml),
 * each with its timeline, and the audit log of all that. Every value comes from a splitmix64 stream of --seed, and times count
 * back from --now, so two runs with the same arguments write the same rows (only the sync and
 * audit times differ). */

/* splitmix64: tiny, fast, and the same on every platform and GLib version. */
typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* A number in [0, n) */
static guint
rng_below (Rng   *rng,
           guint  n)
{
  return n > 0 ? (guint)(rng_next (rng) % n) : 0;
}

/* @t minus a random step below @bound but at most @limit: times (seconds before now) move
 * towards now without passing it. (Not MIN () around rng_below (): it would draw twice.) */
static gint64
step_towards_now (Rng    *rng,
                  gint64  t,
                  gint64  limit,
                  guint   bound)
{
  gint64 step = (gint64)rng_below (rng, bound);

  return t - MIN (limit, step);
}

/* TRUE with probability @percent % */
static gboolean
rng_percent (Rng   *rng,
             guint  percent)
{
  return rng_below (rng, 100) < percent;
}

#define PICK(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])

static const char * const given_names[] = {
  "Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Jules", "Inès", "Gabriel",
  "Emma", "Arthur", "Jade", "Raphaël", "Louise", "Nathan", "Alice", "Théo", "Zoé", "Adam",
  "Sarah", "Noah", "Lina", "Ethan", "Anna", "Tom", "Eva", "Paul", "Rose", "Sacha",
  "Olivia", "James", "Amelia", "Oliver", "Isla", "George", "Ava", "Harry", "Mia", "Jack",
  "Sofia", "Mateo", "Lucía", "Martín", "Paula", "Hannah", "Lukas", "Lena", "Finn", "Mila",
  "Yuki", "Haruto", "Aiko", "Ren", "Priya", "Arjun", "Fatima", "Omar", "Amara", "Kwame",
};

static const char * const surnames[] = {
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
  "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
  "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
  "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans",
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
  "García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Rossi", "Russo", "Ferrari",
  "Tanaka", "Suzuki", "Sato", "Patel", "Sharma", "Okafor", "Mensah", "Haddad", "Nowak",
};

static const struct {
  const char *category;
  const char *subcategory;
  const char *title;
} topics[] = {
  { "devices", "configuration-policy", "Printer driver blocked by policy on {device}" },
  { "devices", "bitlocker", "BitLocker recovery prompt after firmware update on {device}" },
  { "devices", "enrollment", "{device} does not finish enrolment" },
  { "devices", "performance", "{device} is very slow after the monthly update" },
  { "apps", "microsoft-365-apps", "Outlook crashes at start on {device}" },
  { "apps", "line-of-business", "Line-of-business app cannot reach its licence server from {device}" },
  { "apps", "app-packaging", "New package version fails to install on {device}" },
  { "network", "vpn", "VPN disconnects every few minutes on {device}" },
  { "network", "proxy", "Planned proxy change for the Lyon office ({device} first)" },
  { "network", "certificates", "Certificate renewal for Wi-Fi authentication ({device})" },
  { "identity", "sync", "Identity sync delayed: new starter cannot sign in to {device}" },
  { "security", "defender", "Defender quarantines an internal tool on {device}" },
  { "updates", "update-groups", "Move {device} and its team to the fast update group" },
  { "updates", "feature-update", "Feature update stuck at 61 % on {device}" },
  { "browser", "edge", "Edge policy blocks the intranet on {device}" },
};

static const char * const sentences[] = {
  "The user reports the problem started this morning.",
  "It happens on every restart.",
  "Several colleagues on the same floor see the same thing.",
  "Rebooting does not help.",
  "The event log shows an error from the policy service.",
  "It worked yesterday before the update was installed.",
  "We reproduced it with a second account on the same device.",
  "The help desk ran the standard troubleshooter without success.",
  "No change was made locally on the device.",
  "The business team needs this before the end of the week.",
  "Screenshots are attached to the ticket in our own tool.",
  "The device is on the corporate network, not on VPN.",
};

static const char * const states_closed[] = { "closed", "closed", "closed", "resolved" };
static const char * const states_recent[] = {
  "new", "in-progress", "in-progress", "waiting-on-customer", "mitigated", "resolved", "closed",
};

static char *
format_time (GDateTime *now,
             gint64     seconds_before)
{
  g_autoptr(GDateTime) t = g_date_time_add_seconds (now, -(gdouble)seconds_before);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

typedef struct
{
  gint64  id;
  char   *name;
  char   *given_name;
  char   *surname;
  char   *email;
  gboolean escalation;
  gboolean it_admin;
} Person;

static void
person_clear (Person *person)
{
  g_free (person->name);
  g_free (person->given_name);
  g_free (person->surname);
  g_free (person->email);
}

static char *
ascii_slug (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");

  return g_ascii_strdown (ascii, -1);
}

static gboolean
write_staff (EscWorkspaceBulk  *bulk,
             Rng               *rng,
             GDateTime         *now,
             Person            *people,
             guint              n_staff,
             GError           **error)
{
  for (guint i = 0; i < n_staff; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *json = NULL;
      g_autofree char *given = NULL;
      g_autofree char *family = NULL;
      Person *person = &people[i];
      guint role = rng_below (rng, 100);
      EscWorkspaceBulkStaff row;

      person->id = i + 1;
      person->given_name = g_strdup (PICK (rng, given_names));
      person->surname = g_strdup (PICK (rng, surnames));
      person->name = g_strdup_printf ("%s %s", person->given_name, person->surname);
      given = ascii_slug (person->given_name);
      family = ascii_slug (person->surname);
      person->email = g_strdup_printf ("%s.%s.%u@example.org", given, family, i + 1);
      person->it_admin = role < 5;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, person->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, person->name);
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, person->email);
      json_builder_set_member_name (builder, "roles");
      json_builder_begin_array (builder);
      if (person->it_admin)
        json_builder_add_string_value (builder, "it-admin");
      else if (role < 10)
        json_builder_add_string_value (builder, "partner-manager");
      else
        json_builder_add_string_value (builder, "support-staff");
      json_builder_end_array (builder);

      /* The designated team stays clearly smaller than the support team: about 6 %. */
      json_builder_set_member_name (builder, "designations");
      json_builder_begin_array (builder);
      if (!person->it_admin && role >= 10 && rng_percent (rng, 7))
        {
          gboolean elevation = rng_percent (rng, 70);
          g_autofree char *designated_at = format_time (now, 86400 * (gint64)(1 + rng_below (rng, 700)));

          person->escalation = !elevation || rng_percent (rng, 60);
          for (guint c = 0; c < 2; c++)
            {
              if ((c == 0 && !elevation) || (c == 1 && !person->escalation))
                continue;
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "capability");
              json_builder_add_string_value (builder, c == 0 ? "elevation" : "escalation");
              json_builder_set_member_name (builder, "reason");
              json_builder_add_string_value (builder, "Member of the escalation support team");
              json_builder_set_member_name (builder, "expires_at");
              if (rng_percent (rng, 30))
                {
                  g_autofree char *expires = format_time (now, -86400 * (gint64)(1 + rng_below (rng, 180)));
                  json_builder_add_string_value (builder, expires);
                }
              else
                json_builder_add_null_value (builder);
              json_builder_set_member_name (builder, "active");
              json_builder_add_boolean_value (builder, TRUE);
              json_builder_set_member_name (builder, "designated_at");
              json_builder_add_string_value (builder, designated_at);
              json_builder_end_object (builder);
            }
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      json = builder_to_string (builder);
      row = (EscWorkspaceBulkStaff) {
        .id = person->id,
        .name = person->name,
        .email = person->email,
        .json = json,
      };
      if (!esc_workspace_bulk_add_staff (bulk, &row, error))
        return FALSE;
    }

  return TRUE;
}

static void
add_person_ref (JsonBuilder  *builder,
                const Person *person)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, person->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, person->name);
  json_builder_end_object (builder);
}

static gboolean
add_event (EscWorkspaceBulk  *bulk,
           const char        *request_id,
           gint64            *next_event_id,
           const char        *at,
           const char        *kind,
           const Person      *actor,
           const char        *text,
           const char        *from_state,
           const char        *to_state,
           GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *json = NULL;
  EscWorkspaceBulkEvent row;
  gint64 id = (*next_event_id)++;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, at);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "actor");
  if (actor != NULL)
    add_person_ref (builder, actor);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "text");
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
  if (to_state != NULL)
    {
      json_builder_set_member_name (builder, "from_state");
      if (from_state != NULL)
        json_builder_add_string_value (builder, from_state);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "to_state");
      json_builder_add_string_value (builder, to_state);
    }
  json_builder_end_object (builder);

  json = builder_to_string (builder);
  row = (EscWorkspaceBulkEvent) {
    .request_id = request_id,
    .id = id,
    .at = at,
    .kind = kind,
    .json = json,
  };
  return esc_workspace_bulk_add_timeline_event (bulk, &row, error);
}

static int
compare_ages_descending (gconstpointer a,
                         gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return (x < y) - (x > y);
}

static double
rng_unit (Rng *rng)
{
  return (double)(rng_next (rng) >> 11) * (1.0 / (double)(G_GUINT64_CONSTANT (1) << 53));
}

/* Picks a person among @indices (of @people), or anyone if there is none. */
static const Person *
pick_person (Rng          *rng,
             const Person *people,
             guint         n_people,
             GArray       *indices)
{
  if (indices->len > 0)
    return &people[g_array_index (indices, guint, rng_below (rng, indices->len))];
  return &people[rng_below (rng, n_people)];
}

typedef struct
{
  EscWorkspaceBulk *bulk;
  Rng              *rng;
  GDateTime        *now;
  const Person     *people;
  guint             n_people;
  const Person     *operators;
  guint             n_operators;
  GArray           *it_admins;
  GArray           *escalation_staff;
  gint64            next_event_id;
  GPtrArray        *audit;  /* AuditEntry, sorted by time before they get their ids */
} Generator;

/* One event of the service's audit log, kept until all are made: the log is numbered in time
 * order, and requests are made oldest first but their events spread over time. */
typedef struct
{
  gint64  age;     /* seconds before now */
  char   *action;
  char   *actor;   /* nullable */
  char   *target;  /* nullable */
  char   *details; /* JSON object, nullable */
} AuditEntry;

static void
audit_entry_free (AuditEntry *entry)
{
  g_free (entry->action);
  g_free (entry->actor);
  g_free (entry->target);
  g_free (entry->details);
  g_free (entry);
}

static void
add_audit (GPtrArray  *audit,
           gint64      age,
           const char *action,
           const char *actor,
           char       *target,   /* (transfer full) */
           char       *details)  /* (transfer full) */
{
  AuditEntry *entry = g_new0 (AuditEntry, 1);

  entry->age = age;
  entry->action = g_strdup (action);
  entry->actor = g_strdup (actor);
  entry->target = target;
  entry->details = details;
  g_ptr_array_add (audit, entry);
}

static gboolean
write_request (Generator  *gen,
               guint       number,
               gint64      age,
               GError    **error)
{
  Rng *rng = gen->rng;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = g_strdup_printf ("SR-%06u", number);
  g_autofree char *title = NULL;
  g_autofree char *json = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *updated_at = NULL;
  g_autofree char *response_due_at = NULL;
  g_autofree char *resolved_at = NULL;
  g_autofree char *closed_at = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  g_auto(GStrv) devices = NULL;
  const Person *filer;
  const Person *operator = &gen->operators[rng_below (rng, gen->n_operators)];
  const char *kind;
  const char *type;
  const char *severity;
  const char *state;
  const char *previous_state = "new";
  guint severity_index;
  guint n_devices = 1 + rng_below (rng, 3);
  guint topic = rng_below (rng, G_N_ELEMENTS (topics));
  gint64 t = age;  /* seconds before now of the latest event so far */
  EscWorkspaceBulkRequest row;

  static const guint response_minutes[] = { 60, 4 * 60, 8 * 60 };
  static const char * const letters[] = { "A", "B", "C" };

  if (rng_percent (rng, 60))
    {
      kind = "admin";
      filer = pick_person (rng, gen->people, gen->n_people, gen->it_admins);
    }
  else
    {
      kind = "escalation";
      filer = pick_person (rng, gen->people, gen->n_people, gen->escalation_staff);
    }

  {
    guint r = rng_below (rng, 100);

    if (g_str_equal (kind, "escalation"))
      type = r < 60 ? "incident" : r < 90 ? "request-for-information" : "change-request";
    else
      type = r < 45 ? "incident" : r < 80 ? "request-for-information" : "change-request";
  }

  /* Escalations and change requests are always severity C. */
  if (g_str_equal (kind, "escalation") || g_str_equal (type, "change-request"))
    severity_index = 2;
  else
    {
      guint r = rng_below (rng, 100);

      severity_index = r < 8 ? 0 : r < 38 ? 1 : 2;
    }
  severity = letters[severity_index];

  state = age > 30 * 86400 ? PICK (rng, states_closed) : PICK (rng, states_recent);

  devices = g_new0 (char *, n_devices + 1);
  for (guint d = 0; d < n_devices; d++)
    devices[d] = g_strdup_printf ("MMD-%011" G_GUINT64_FORMAT,
                                  rng_next (rng) % G_GUINT64_CONSTANT (100000000000));
  {
    g_autoptr(GString) text = g_string_new (topics[topic].title);

    g_string_replace (text, "{device}", devices[0], 1);
    title = g_string_free (g_steal_pointer (&text), FALSE);
  }
  /* Two to four different sentences */
  for (guint s = 0, first = rng_below (rng, G_N_ELEMENTS (sentences)), n = 2 + rng_below (rng, 3);
       s < n; s++)
    {
      if (description->len > 0)
        g_string_append_c (description, ' ');
      g_string_append (description, sentences[(first + s * 5) % G_N_ELEMENTS (sentences)]);
    }

  created_at = format_time (gen->now, age);
  response_due_at = format_time (gen->now, age - (gint64)response_minutes[severity_index] * 60);

  /* The timeline: created, then assigned and worked on unless still new. */
  if (!add_event (gen->bulk, id, &gen->next_event_id, created_at, "created", filer,
                  NULL, NULL, NULL, error))
    return FALSE;
  add_audit (gen->audit, age, "support-request.created", filer->name,
             g_strconcat ("/v1/support-requests/", id, NULL),
             g_strdup_printf ("{\"kind\":\"%s\",\"severity\":\"%s\"}", kind, severity));

  if (!g_str_equal (state, "new"))
    {
      g_autofree char *assigned_at = NULL;

      t = step_towards_now (rng, t, t / 4, 3 * 3600) - MIN (t / 8, 600);
      assigned_at = format_time (gen->now, t);
      if (!add_event (gen->bulk, id, &gen->next_event_id, assigned_at, "assigned", operator,
                      NULL, NULL, NULL, error) ||
          !add_event (gen->bulk, id, &gen->next_event_id, assigned_at, "state-changed", operator,
                      NULL, "new", "in-progress", error))
        return FALSE;
      previous_state = "in-progress";

      for (guint c = rng_below (rng, 3); c > 0; c--)
        {
          g_autofree char *comment_at = NULL;
          const Person *author;

          t = step_towards_now (rng, t, t / 4, 2 * 86400);
          comment_at = format_time (gen->now, t);
          author = rng_percent (rng, 50) ? operator : filer;

          if (!add_event (gen->bulk, id, &gen->next_event_id, comment_at, "comment",
                          author, PICK (rng, sentences), NULL, NULL, error))
            return FALSE;
          add_audit (gen->audit, t, "support-request.commented", author->name,
                     g_strconcat ("/v1/support-requests/", id, NULL), NULL);
        }

      if (!g_str_equal (state, "in-progress"))
        {
          g_autofree char *changed_at = NULL;
          const char *to = g_str_equal (state, "closed") ? "resolved" : state;

          t = step_towards_now (rng, t, t / 3, 3 * 86400);
          changed_at = format_time (gen->now, t);
          if (!add_event (gen->bulk, id, &gen->next_event_id, changed_at, "state-changed",
                          operator, NULL, previous_state, to, error))
            return FALSE;
          add_audit (gen->audit, t, "support-request.state-changed", operator->name,
                     g_strconcat ("/v1/support-requests/", id, NULL),
                     g_strdup_printf ("{\"from_state\":\"%s\",\"to_state\":\"%s\"}",
                                      previous_state, to));
          previous_state = to;
          if (g_str_equal (to, "resolved"))
            resolved_at = g_strdup (changed_at);

          if (g_str_equal (state, "closed"))
            {
              t -= MIN (t / 2, (gint64)86400);
              closed_at = format_time (gen->now, t);
              if (!add_event (gen->bulk, id, &gen->next_event_id, closed_at, "state-changed",
                              NULL, NULL, "resolved", "closed", error))
                return FALSE;
            }
        }
    }
  updated_at = format_time (gen->now, t);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, severity);
  if (severity_index == 1)
    {
      json_builder_set_member_name (builder, "engagement");
      json_builder_add_string_value (builder, rng_percent (rng, 25) ? "24x7" : "admin-hours");
    }
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, topics[topic].category);
  json_builder_set_member_name (builder, "subcategory");
  json_builder_add_string_value (builder, topics[topic].subcategory);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description->str);

  json_builder_set_member_name (builder, "contact");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "given_name");
  json_builder_add_string_value (builder, filer->given_name);
  json_builder_set_member_name (builder, "surname");
  json_builder_add_string_value (builder, filer->surname);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, filer->email);
  json_builder_set_member_name (builder, "phone");
  {
    g_autofree char *phone = g_strdup_printf ("+33 1 %02u %02u %02u %02u",
                                              rng_below (rng, 100), rng_below (rng, 100),
                                              rng_below (rng, 100), rng_below (rng, 100));
    json_builder_add_string_value (builder, phone);
  }
  json_builder_set_member_name (builder, "preferred_method");
  json_builder_add_string_value (builder, rng_percent (rng, 70) ? "email" : "phone");
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, rng_percent (rng, 50) ? "fr" : "en");
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "users_or_devices_impacted");
  json_builder_add_int_value (builder, 1 + (gint64)(rng_unit (rng) * rng_unit (rng) * 500));
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint d = 0; devices[d] != NULL; d++)
    json_builder_add_string_value (builder, devices[d]);
  json_builder_end_array (builder);
  if (rng_percent (rng, 70))
    {
      g_autofree char *ticket = g_strdup_printf ("INC%07u", rng_below (rng, 10000000));

      json_builder_set_member_name (builder, "related_ticket");
      json_builder_add_string_value (builder, ticket);
    }

  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state);
  json_builder_set_member_name (builder, "filed_by");
  add_person_ref (builder, filer);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created_at);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, updated_at);
  json_builder_set_member_name (builder, "response_due_at");
  json_builder_add_string_value (builder, response_due_at);
  json_builder_set_member_name (builder, "resolved_at");
  if (resolved_at != NULL)
    json_builder_add_string_value (builder, resolved_at);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "closed_at");
  if (closed_at != NULL)
    json_builder_add_string_value (builder, closed_at);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "next_action_owner");
  if (g_str_equal (state, "waiting-on-customer"))
    json_builder_add_string_value (builder, "customer");
  else if (g_str_equal (state, "new") || g_str_equal (state, "in-progress"))
    json_builder_add_string_value (builder, "operations");
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json = builder_to_string (builder);
  row = (EscWorkspaceBulkRequest) {
    .id = id,
    .kind = kind,
    .type = type,
    .severity = severity,
    .state = state,
    .title = title,
    .filed_by = filer->name,
    .created_at = created_at,
    .updated_at = updated_at,
    .response_due_at = response_due_at,
    .json = json,
  };
  return esc_workspace_bulk_add_support_request (gen->bulk, &row, error);
}

static int
compare_audit_oldest_first (gconstpointer a,
                            gconstpointer b)
{
  const AuditEntry *x = *(const AuditEntry * const *)a;
  const AuditEntry *y = *(const AuditEntry * const *)b;

  return (x->age < y->age) - (x->age > y->age);
}

/* The audit log as the service returns it (GET /v1/audit), numbered from 1 in time order.
 * The hash chain is not the service's (the app only shows it): a SHA-256 of the previous hash
 * and the event, so that it looks and varies like one. */
static gboolean
write_audit (Generator  *gen,
             GError    **error)
{
  g_autofree char *previous = g_strnfill (64, '0');

  /* Stable, so events of the same second keep the order they were made in */
  g_ptr_array_sort (gen->audit, compare_audit_oldest_first);

  for (guint i = 0; i < gen->audit->len; i++)
    {
      AuditEntry *entry = g_ptr_array_index (gen->audit, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *at = format_time (gen->now, entry->age);
      g_autofree char *json = NULL;
      g_autofree char *seed = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *address = g_strdup_printf ("198.51.100.%u", 1 + (guint)(i * 37 % 200));
      EscWorkspaceBulkAuditEvent row;

      seed = g_strdup_printf ("%s|%u|%s|%s", previous, i + 1, at, entry->action);
      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, i + 1);
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, at);
      json_builder_set_member_name (builder, "actor");
      if (entry->actor != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, 0);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, entry->actor);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "actor_roles");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, entry->action);
      json_builder_set_member_name (builder, "target");
      if (entry->target != NULL)
        json_builder_add_string_value (builder, entry->target);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "remote_address");
      json_builder_add_string_value (builder, address);
      json_builder_set_member_name (builder, "details");
      if (entry->details != NULL)
        {
          g_autoptr(JsonNode) details = json_from_string (entry->details, NULL);

          json_builder_add_value (builder, g_steal_pointer (&details));
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, hash);
      json_builder_end_object (builder);

      json = builder_to_string (builder);
      row = (EscWorkspaceBulkAuditEvent) {
        .id = i + 1,
        .at = at,
        .action = entry->action,
        .actor = entry->actor,
        .target = entry->target,
        .remote_address = address,
        .json = json,
      };
      if (!esc_workspace_bulk_add_audit_event (gen->bulk, &row, error))
        return FALSE;

      g_free (previous);
      previous = g_steal_pointer (&hash);
    }

  return TRUE;
}

static gboolean
write_requests (Generator  *gen,
                guint       n_requests,
                GError    **error)
{
  /* Two years of requests, more of them recently; ids in filing order. */
  g_autofree gint64 *ages = g_new (gint64, MAX (n_requests, 1));

  for (guint i = 0; i < n_requests; i++)
    {
      double u = rng_unit (gen->rng);

      ages[i] = 60 + (gint64)(u * u * 730.0 * 86400.0);
    }
  qsort (ages, n_requests, sizeof *ages, compare_ages_descending);

  for (guint i = 0; i < n_requests; i++)
    {
      if (!write_request (gen, i + 1, ages[i], error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
remove_workspace (const char  *path,
                  GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "Could not remove %s: %s", file, g_strerror (saved_errno));
          return FALSE;
        }
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscWorkspaceBulk) bulk = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GArray) it_admins = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) escalation_staff = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree Person *people = NULL;
  g_autofree char *service = NULL;
  g_autofree char *now_text = NULL;
  g_auto(GStrv) files = NULL;
  gint64 seed = 1;
  int n_requests = 1000;
  int n_staff = 100;
  gboolean force = FALSE;
  gint64 start = g_get_monotonic_time ();
  Person operators[5] = { 0 };
  Generator gen = { 0 };
  Rng rng;
  const GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of every value (default 1)", "N" },
    { "requests", 0, 0, G_OPTION_ARG_INT, &n_requests, "Support requests (default 1000)", "N" },
    { "staff", 0, 0, G_OPTION_ARG_INT, &n_staff, "Staff members (default 100)", "N" },
    { "service", 0, 0, G_OPTION_ARG_STRING, &service,
      "Service URL the mirrored rows belong to (default http://127.0.0.1:8080)", "URL" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      "The time the data counts back from (default 2026-06-01T09:00:00Z)", "TIME" },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace FILE if it exists", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("FILE — write a realistic Escalade workspace");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto fail;
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "Give exactly one output FILE");
      goto fail;
    }
  if (n_requests < 0 || n_staff < 1)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--requests must be 0 or more and --staff 1 or more");
      goto fail;
    }

  now = g_date_time_new_from_iso8601 (now_text ? now_text : "2026-06-01T09:00:00Z", NULL);
  if (now == NULL)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--now %s is not an RFC 3339 time", now_text);
      goto fail;
    }

  if (g_file_test (files[0], G_FILE_TEST_EXISTS))
    {
      if (!force)
        {
          g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                       "%s exists; use --force to replace it", files[0]);
          goto fail;
        }
      if (!remove_workspace (files[0], &error))
        goto fail;
    }

  if (!(workspace = esc_workspace_open (files[0], &error)) ||
      !(bulk = esc_workspace_bulk_new (workspace, service ? service : "http://127.0.0.1:8080",
                                       &error)))
    goto fail;

  rng.state = (guint64)seed;
  people = g_new0 (Person, n_staff);
  if (!write_staff (bulk, &rng, now, people, (guint)n_staff, &error))
    goto fail;
  for (guint i = 0; i < (guint)n_staff; i++)
    {
      if (people[i].it_admin)
        g_array_append_val (it_admins, i);
      if (people[i].escalation)
        g_array_append_val (escalation_staff, i);
    }

  /* The service's operations team: people of the service, not of the staff directory. */
  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    {
      operators[i].id = n_staff + 1 + i;
      operators[i].name = g_strdup_printf ("Operations engineer %u", i + 1);
    }

  audit = g_ptr_array_new_with_free_func ((GDestroyNotify)audit_entry_free);
  /* The designations, granted by an IT administrator */
  for (guint i = 0; i < (guint)n_staff; i++)
    {
      if (people[i].escalation && it_admins->len > 0)
        add_audit (audit, 86400 * (gint64)(700 - i % 600),
                   "designation.granted",
                   people[g_array_index (it_admins, guint, i % it_admins->len)].name,
                   g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", people[i].id),
                   g_strdup_printf ("{\"person\":\"%s\",\"capability\":\"escalation\"}",
                                    people[i].name));
    }

  gen = (Generator) {
    .bulk = bulk,
    .rng = &rng,
    .now = now,
    .people = people,
    .n_people = (guint)n_staff,
    .operators = operators,
    .n_operators = G_N_ELEMENTS (operators),
    .it_admins = it_admins,
    .escalation_staff = escalation_staff,
    .next_event_id = 1,
    .audit = audit,
  };
  if (!write_requests (&gen, (guint)n_requests, &error) ||
      !write_audit (&gen, &error) ||
      !esc_workspace_bulk_commit (bulk, &error))
    goto fail;

  g_print ("%s: %d support requests, %" G_GINT64_FORMAT " timeline events, %d staff, "
           "%u audit events (seed %" G_GINT64_FORMAT ") in %.1f s\n",
           files[0], n_requests, gen.next_event_id - 1, n_staff, audit->len, seed,
           (g_get_monotonic_time () - start) / 1e6);

  for (guint i = 0; i < (guint)n_staff; i++)
    person_clear (&people[i]);
  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    person_clear (&operators[i]);
  return EXIT_SUCCESS;

fail:
  g_printerr ("make-workspace: %s\n", error->message);
  if (people != NULL)
    {
      for (guint i = 0; i < (guint)n_staff; i++)
        person_clear (&people[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    person_clear (&operators[i]);
  return EXIT_FAILURE;
}
