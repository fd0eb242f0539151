/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <string.h>

#include "esc-staff-directory.h"
#include "esc-store-private.h"
#include "esc-time.h"
#include "esc-workspace-private.h"

/* EscStaffEntry ----------------------------------------------------------- */

struct _EscStaffEntry
{
  GObject               parent_instance;

  gint64                id;
  char                 *name;
  char                 *email;
  char                 *team;
  EscStaffRoles         roles;
  EscStaffDesignations  designations;
  GDateTime            *elevation_expires_at;
  GDateTime            *escalation_expires_at;
  gboolean              disabled;
  char                 *etag;
  char                 *search_key;
};

G_DEFINE_FINAL_TYPE (EscStaffEntry, esc_staff_entry, G_TYPE_OBJECT)

static void
esc_staff_entry_finalize (GObject *object)
{
  EscStaffEntry *self = (EscStaffEntry *)object;

  g_free (self->name);
  g_free (self->email);
  g_free (self->team);
  g_clear_pointer (&self->elevation_expires_at, g_date_time_unref);
  g_clear_pointer (&self->escalation_expires_at, g_date_time_unref);
  g_free (self->etag);
  g_free (self->search_key);

  G_OBJECT_CLASS (esc_staff_entry_parent_class)->finalize (object);
}

static void
esc_staff_entry_class_init (EscStaffEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esc_staff_entry_finalize;
}

static void
esc_staff_entry_init (EscStaffEntry *self)
{
}

gint64
esc_staff_entry_get_id (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), 0);
  return self->id;
}

const char *
esc_staff_entry_get_name (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), NULL);
  return self->name;
}

const char *
esc_staff_entry_get_email (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), NULL);
  return self->email;
}

const char *
esc_staff_entry_get_team (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), NULL);
  return self->team;
}

EscStaffRoles
esc_staff_entry_get_roles (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), 0);
  return self->roles;
}

EscStaffDesignations
esc_staff_entry_get_designations (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), 0);
  return self->designations;
}

EscStaffDesignations
esc_staff_entry_get_live_designations (EscStaffEntry *self,
                                       GDateTime     *now)
{
  EscStaffDesignations live = 0;

  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), 0);
  g_return_val_if_fail (now != NULL, 0);

  if ((self->designations & ESC_STAFF_DESIGNATION_ELEVATION) &&
      (self->elevation_expires_at == NULL ||
       g_date_time_compare (self->elevation_expires_at, now) > 0))
    live |= ESC_STAFF_DESIGNATION_ELEVATION;
  if ((self->designations & ESC_STAFF_DESIGNATION_ESCALATION) &&
      (self->escalation_expires_at == NULL ||
       g_date_time_compare (self->escalation_expires_at, now) > 0))
    live |= ESC_STAFF_DESIGNATION_ESCALATION;

  return live;
}

GDateTime *
esc_staff_entry_get_expires_at (EscStaffEntry        *self,
                                EscStaffDesignations  capability)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), NULL);

  if (capability == ESC_STAFF_DESIGNATION_ELEVATION)
    return self->elevation_expires_at;
  if (capability == ESC_STAFF_DESIGNATION_ESCALATION)
    return self->escalation_expires_at;
  return NULL;
}

gboolean
esc_staff_entry_get_disabled (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), FALSE);
  return self->disabled;
}

const char *
esc_staff_entry_get_etag (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), NULL);
  return self->etag;
}

const char *
esc_staff_entry_get_search_key (EscStaffEntry *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_ENTRY (self), NULL);
  return self->search_key;
}

/**
 * esc_staff_fold_text:
 * @text: (nullable): UTF-8 text
 *
 * Returns: (transfer full): @text decomposed, without its combining marks,
 * and case-folded ("" for %NULL or text that is not UTF-8)
 */
/* One character, case-folded */
static void
append_folded (GString  *out,
               gunichar  c)
{
  char utf8[8];
  int length;
  g_autofree char *folded = NULL;

  if (c < 0x80)
    {
      g_string_append_c (out, g_ascii_tolower ((char)c));
      return;
    }

  length = g_unichar_to_utf8 (c, utf8);
  folded = g_utf8_casefold (utf8, length);
  g_string_append (out, folded);
}

char *
esc_staff_fold_text (const char *text)
{
  GString *out;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  /* The same as normalizing the whole text (NFD), dropping the combining
   * marks, then case-folding it, a character at a time: the directory folds
   * the keys of 10 000 people when it opens, and most of their characters are
   * ASCII, which need neither */
  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; )
    {
      gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n;

      if ((guchar)*p < 0x80)
        {
          g_string_append_c (out, g_ascii_tolower (*p));
          p++;
          continue;
        }

      n = g_unichar_fully_decompose (g_utf8_get_char (p), FALSE, decomposed, G_N_ELEMENTS (decomposed));
      for (gsize i = 0; i < n; i++)
        if (!g_unichar_ismark (decomposed[i]))
          append_folded (out, decomposed[i]);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
entry_equal (EscStaffEntry *a,
             EscStaffEntry *b)
{
  return a->id == b->id &&
         g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->email, b->email) == 0 &&
         g_strcmp0 (a->team, b->team) == 0 &&
         a->roles == b->roles &&
         a->designations == b->designations &&
         ((a->elevation_expires_at == NULL && b->elevation_expires_at == NULL) ||
          (a->elevation_expires_at != NULL && b->elevation_expires_at != NULL &&
           g_date_time_equal (a->elevation_expires_at, b->elevation_expires_at))) &&
         ((a->escalation_expires_at == NULL && b->escalation_expires_at == NULL) ||
          (a->escalation_expires_at != NULL && b->escalation_expires_at != NULL &&
           g_date_time_equal (a->escalation_expires_at, b->escalation_expires_at))) &&
         a->disabled == b->disabled &&
         g_strcmp0 (a->etag, b->etag) == 0;
}

/* EscStaffDirectory ---------------------------------------------------------- */

struct _EscStaffDirectory
{
  GObject     parent_instance;

  EscMirror  *mirror;
  sqlite3    *db;
  const char *path;
  GPtrArray  *entries;  /* EscStaffEntry */
  GHashTable *by_id;    /* gint64 * → EscStaffEntry (borrowed from entries) */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EscStaffDirectory, esc_staff_directory, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return ESC_TYPE_STAFF_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return ESC_STAFF_DIRECTORY (model)->entries->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  EscStaffDirectory *self = ESC_STAFF_DIRECTORY (model);

  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static char *
dup_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return text != NULL ? esc_time_parse (text) : NULL;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  EscStaffEntry *x = *(EscStaffEntry * const *)a;
  EscStaffEntry *y = *(EscStaffEntry * const *)b;
  int order = strcmp (x->search_key, y->search_key);

  if (order != 0)
    return order;
  return x->id < y->id ? -1 : x->id > y->id;
}

static GPtrArray *
read_entries (EscStaffDirectory  *self,
              GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  const char *service = esc_mirror_get_service (self->mirror);
  GString *key = g_string_new (NULL);
  int rc;

  if (service == NULL)
    {
      g_string_free (key, TRUE);
      return g_steal_pointer (&entries);
    }

  if (!esc_store_prepare (self->db, self->path,
                          "SELECT id, name, email, team, role_bits, designation_bits,"
                          " elevation_expires_at, escalation_expires_at, disabled, etag"
                          " FROM mirror_staff_list WHERE service = ?1",
                          &stmt, error))
    {
      g_string_free (key, TRUE);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EscStaffEntry *entry = g_object_new (ESC_TYPE_STAFF_ENTRY, NULL);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->name = dup_column_text (stmt, 1);
      entry->email = dup_column_text (stmt, 2);
      entry->team = dup_column_text (stmt, 3);
      entry->roles = sqlite3_column_int (stmt, 4);
      entry->designations = sqlite3_column_int (stmt, 5);
      entry->elevation_expires_at = column_time (stmt, 6);
      entry->escalation_expires_at = column_time (stmt, 7);
      entry->disabled = sqlite3_column_int (stmt, 8) != 0;
      entry->etag = dup_column_text (stmt, 9);

      /* One key per person, folded once here rather than at each keystroke */
      g_string_truncate (key, 0);
      g_string_append (key, entry->name);
      g_string_append_c (key, '\n');
      if (entry->email != NULL)
        g_string_append (key, entry->email);
      g_string_append_c (key, '\n');
      if (entry->team != NULL)
        g_string_append (key, entry->team);
      entry->search_key = esc_staff_fold_text (key->str);

      g_ptr_array_add (entries, entry);
    }
  g_string_free (key, TRUE);

  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  /* By name as a person reads it: "Élodie" before "Zoé" (SQLite's NOCASE
   * knows ASCII only); the key starts with the folded name */
  g_ptr_array_sort (entries, compare_entries);

  return g_steal_pointer (&entries);
}

gboolean
esc_staff_directory_reload (EscStaffDirectory  *self,
                            GError            **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *old;
  guint n_old, n_new, prefix = 0, suffix = 0;

  g_return_val_if_fail (ESC_IS_STAFF_DIRECTORY (self), FALSE);

  if (!(entries = read_entries (self, error)))
    return FALSE;

  old = self->entries;
  n_old = old->len;
  n_new = entries->len;

  /* Only what changed is emitted: a sync that changes one designation must
   * not reset a list of 10 000 (its selection and scroll stay). */
  while (prefix < n_old && prefix < n_new &&
         entry_equal (g_ptr_array_index (old, prefix), g_ptr_array_index (entries, prefix)))
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix &&
         entry_equal (g_ptr_array_index (old, n_old - 1 - suffix),
                      g_ptr_array_index (entries, n_new - 1 - suffix)))
    suffix++;

  if (prefix == n_old && prefix == n_new)
    return TRUE;

  /* The unchanged entries are kept, so that bound rows keep their items */
  for (guint i = 0; i < prefix; i++)
    {
      g_object_unref (g_ptr_array_index (entries, i));
      g_ptr_array_index (entries, i) = g_object_ref (g_ptr_array_index (old, i));
    }
  for (guint i = 0; i < suffix; i++)
    {
      g_object_unref (g_ptr_array_index (entries, n_new - 1 - i));
      g_ptr_array_index (entries, n_new - 1 - i) = g_object_ref (g_ptr_array_index (old, n_old - 1 - i));
    }

  self->entries = g_steal_pointer (&entries);
  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < self->entries->len; i++)
    {
      EscStaffEntry *entry = g_ptr_array_index (self->entries, i);

      g_hash_table_insert (self->by_id, &entry->id, entry);
    }
  g_ptr_array_unref (old);

  g_list_model_items_changed (G_LIST_MODEL (self), prefix, n_old - prefix - suffix,
                              n_new - prefix - suffix);
  return TRUE;
}

static void
staff_changed_cb (EscStaffDirectory *self)
{
  g_autoptr(GError) error = NULL;

  if (!esc_staff_directory_reload (self, &error))
    esc_store_log_dropped_error (error, "Could not read the staff directory");
}

static int
compare_text (gconstpointer a,
              gconstpointer b)
{
  return g_utf8_collate (*(const char * const *)a, *(const char * const *)b);
}

char **
esc_staff_directory_dup_teams (EscStaffDirectory *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) teams = g_ptr_array_new ();

  g_return_val_if_fail (ESC_IS_STAFF_DIRECTORY (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      EscStaffEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->team != NULL && entry->team[0] != '\0' &&
          g_hash_table_add (seen, entry->team))
        g_ptr_array_add (teams, g_strdup (entry->team));
    }
  g_ptr_array_sort (teams, compare_text);
  g_ptr_array_add (teams, NULL);

  return (char **)g_ptr_array_free (g_steal_pointer (&teams), FALSE);
}

EscStaffEntry * const *
esc_staff_directory_peek_entries (EscStaffDirectory *self,
                                  guint             *n_entries)
{
  g_return_val_if_fail (ESC_IS_STAFF_DIRECTORY (self), NULL);
  g_return_val_if_fail (n_entries != NULL, NULL);

  *n_entries = self->entries->len;
  return (EscStaffEntry * const *)self->entries->pdata;
}

EscStaffEntry *
esc_staff_directory_lookup (EscStaffDirectory *self,
                            gint64             id)
{
  EscStaffEntry *entry;

  g_return_val_if_fail (ESC_IS_STAFF_DIRECTORY (self), NULL);

  entry = g_hash_table_lookup (self->by_id, &id);
  return entry != NULL ? g_object_ref (entry) : NULL;
}

static void
esc_staff_directory_dispose (GObject *object)
{
  EscStaffDirectory *self = (EscStaffDirectory *)object;

  if (self->mirror != NULL)
    g_signal_handlers_disconnect_by_data (self->mirror, self);
  g_clear_object (&self->mirror);

  G_OBJECT_CLASS (esc_staff_directory_parent_class)->dispose (object);
}

static void
esc_staff_directory_finalize (GObject *object)
{
  EscStaffDirectory *self = (EscStaffDirectory *)object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (esc_staff_directory_parent_class)->finalize (object);
}

static void
esc_staff_directory_class_init (EscStaffDirectoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_staff_directory_dispose;
  object_class->finalize = esc_staff_directory_finalize;
}

static void
esc_staff_directory_init (EscStaffDirectory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
}

/**
 * esc_staff_directory_new:
 * @mirror: the workspace's mirror
 *
 * Returns: (transfer full): the directory, read now
 */
EscStaffDirectory *
esc_staff_directory_new (EscMirror *mirror)
{
  EscStaffDirectory *self;
  EscWorkspace *workspace;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ESC_IS_MIRROR (mirror), NULL);

  self = g_object_new (ESC_TYPE_STAFF_DIRECTORY, NULL);
  self->mirror = g_object_ref (mirror);
  workspace = esc_mirror_get_workspace (mirror);
  self->db = esc_workspace_get_connection (workspace);
  self->path = esc_workspace_get_path (workspace);

  g_signal_connect_swapped (mirror, "staff-changed",
                            G_CALLBACK (staff_changed_cb), self);
  if (!esc_staff_directory_reload (self, &error))
    esc_store_log_dropped_error (error, "Could not read the staff directory");

  return self;
}

/* The audit chain ------------------------------------------------------------- */

gboolean
esc_mirror_check_audit_chain (EscMirror  *mirror,
                              gint64     *out_broken_id,
                              guint      *out_n_events,
                              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *previous = NULL;
  EscWorkspace *workspace;
  sqlite3 *db;
  const char *path;
  const char *service;
  gboolean first = TRUE;
  guint n = 0;
  int rc;

  g_return_val_if_fail (ESC_IS_MIRROR (mirror), FALSE);

  if (out_broken_id != NULL)
    *out_broken_id = 0;
  if (out_n_events != NULL)
    *out_n_events = 0;

  service = esc_mirror_get_service (mirror);
  if (service == NULL)
    return TRUE;

  workspace = esc_mirror_get_workspace (mirror);
  db = esc_workspace_get_connection (workspace);
  path = esc_workspace_get_path (workspace);
  if (!esc_store_prepare (db, path,
                          "SELECT id, json_extract (json, '$.prev_hash'), json_extract (json, '$.hash')"
                          " FROM mirror_audit_events WHERE service = ?1 ORDER BY id",
                          &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *prev_hash = (const char *)sqlite3_column_text (stmt, 1);
      const char *hash = (const char *)sqlite3_column_text (stmt, 2);

      n++;
      /* The first event received may follow events that were never synced */
      if ((!first && g_strcmp0 (prev_hash, previous) != 0) || hash == NULL)
        {
          if (out_broken_id != NULL)
            *out_broken_id = sqlite3_column_int64 (stmt, 0);
          if (out_n_events != NULL)
            *out_n_events = n;
          return FALSE;
        }
      first = FALSE;
      g_free (previous);
      previous = g_strdup (hash);
    }

  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, path);

  if (out_n_events != NULL)
    *out_n_events = n;
  return TRUE;
}
