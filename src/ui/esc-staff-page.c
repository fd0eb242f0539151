/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-request-rows.h"
#include "esc-staff-audit.h"
#include "esc-staff-contacts.h"
#include "esc-staff-dialogs.h"
#include "esc-staff-format.h"
#include "esc-staff-matches.h"
#include "esc-staff-page-private.h"
#include "esc-ui-private.h"
#include "esc-staff-person-dialog.h"

/* The directory lists the workspace's mirror (EscStaffDirectory: every person
 * in memory with a folded search key), through an EscStaffMatches whose
 * function compares that key and a few bits: a keystroke over 10 000 people is
 * one pass of strstr(), well within a frame. The column view shows it through
 * EscRequestRows (GTK < 4.12): its rows keep their widgets when a search
 * replaces 10 000 people by 300, and only their text changes; GTK 4.8 would
 * otherwise rebuild some 200 rows of widgets in that frame. */

#define EXPIRY_WARNING_DAYS 7

enum {
  ROLE_ANY,
  ROLE_IT_ADMIN,
  ROLE_PARTNER_MANAGER,
  ROLE_SUPPORT_STAFF,
  ROLE_OPERATOR,
};

enum {
  DESIGNATION_ANY,
  DESIGNATION_ELEVATION,
  DESIGNATION_ESCALATION,
  DESIGNATION_NONE,
  DESIGNATION_EXPIRING,
  DESIGNATION_PENDING,
};

enum {
  TEAM_ANY,
  TEAM_NONE,
  TEAM_FIRST,  /* the teams of the directory follow, sorted */
};


G_DEFINE_FINAL_TYPE (EscStaffPage, esc_staff_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Filtering ------------------------------------------------------------------- */

static EscStaffRoles
selected_role (EscStaffPage *self)
{
  switch (gtk_drop_down_get_selected (self->role_filter))
    {
    case ROLE_IT_ADMIN: return ESC_STAFF_ROLE_IT_ADMIN;
    case ROLE_PARTNER_MANAGER: return ESC_STAFF_ROLE_PARTNER_MANAGER;
    case ROLE_SUPPORT_STAFF: return ESC_STAFF_ROLE_SUPPORT_STAFF;
    case ROLE_OPERATOR: return ESC_STAFF_ROLE_OPERATOR;
    default: return 0;
    }
}

/* Whether a live designation of @entry expires by @limit (@now and
 * EXPIRY_WARNING_DAYS later, worked out once for every person) */
static gboolean
expires_soon (EscStaffEntry *entry,
              GDateTime     *now,
              GDateTime     *limit)
{
  EscStaffDesignations live = esc_staff_entry_get_live_designations (entry, now);

  for (EscStaffDesignations d = ESC_STAFF_DESIGNATION_ELEVATION; d <= ESC_STAFF_DESIGNATION_ESCALATION; d <<= 1)
    {
      GDateTime *expires = esc_staff_entry_get_expires_at (entry, d);

      if ((live & d) && expires != NULL && g_date_time_compare (expires, limit) <= 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
filter_cb (EscStaffEntry *entry,
           gpointer       user_data)
{
  EscStaffPage *self = user_data;
  guint team = self->filter_team;
  gint64 id;

  /* Called for each of 10 000 people at a keystroke: what the drop-downs
   * say was read once, in refilter() */
  if (self->query[0] != '\0' && strstr (esc_staff_entry_get_search_key (entry), self->query) == NULL)
    return FALSE;

  if (self->filter_role != 0 && (esc_staff_entry_get_roles (entry) & self->filter_role) == 0)
    return FALSE;

  if (team == TEAM_NONE && esc_staff_entry_get_team (entry) != NULL && esc_staff_entry_get_team (entry)[0] != '\0')
    return FALSE;
  if (team >= TEAM_FIRST && g_strcmp0 (esc_staff_entry_get_team (entry), self->filter_team_name) != 0)
    return FALSE;

  switch (self->filter_designation)
    {
    case DESIGNATION_ELEVATION:
      return (esc_staff_entry_get_live_designations (entry, self->now) & ESC_STAFF_DESIGNATION_ELEVATION) != 0;
    case DESIGNATION_ESCALATION:
      return (esc_staff_entry_get_live_designations (entry, self->now) & ESC_STAFF_DESIGNATION_ESCALATION) != 0;
    case DESIGNATION_NONE:
      return esc_staff_entry_get_live_designations (entry, self->now) == 0;
    case DESIGNATION_EXPIRING:
      return expires_soon (entry, self->now, self->expiry_limit);
    case DESIGNATION_PENDING:
      id = esc_staff_entry_get_id (entry);
      return g_hash_table_contains (self->pending, &id);
    default:
      return TRUE;
    }
}

/* The list, or why it shows no one: an empty directory is not brought in
 * by clearing a search, so it says so whatever the search and filters */
static void
update_count (EscStaffPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = self->directory != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->directory)) : 0;
  g_autofree char *text = NULL;

  if (total == 0)
    gtk_stack_set_visible_child_name (self->directory_stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->directory_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->directory_stack, "list");

  if (shown == total)
    /* Translators: the number of people in the directory */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person", "%u people", total), total);
  else
    /* Translators: the people the search and filters show, out of all */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u person shown", "%u of %u people shown",
                                         total), shown, total);
  gtk_label_set_label (self->count_label, text);
}

static void
refilter (EscStaffPage     *self,
          GtkFilterChange   change)
{
  guint team = gtk_drop_down_get_selected (self->team_filter);

  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->expiry_limit, g_date_time_unref);
  self->now = g_date_time_new_now_utc ();
  self->expiry_limit = g_date_time_add_days (self->now, EXPIRY_WARNING_DAYS);
  self->filter_role = selected_role (self);
  self->filter_team = team != GTK_INVALID_LIST_POSITION ? team : TEAM_ANY;
  g_free (self->filter_team_name);
  self->filter_team_name = team >= TEAM_FIRST && team != GTK_INVALID_LIST_POSITION
                           ? g_strdup (gtk_string_list_get_string (self->teams, team)) : NULL;
  self->filter_designation = gtk_drop_down_get_selected (self->designation_filter);
  esc_staff_matches_refilter (self->filtered, change);
}

static gboolean
apply_search_cb (gpointer user_data)
{
  EscStaffPage *self = user_data;
  g_autofree char *query = esc_staff_fold_text (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  self->search_source = 0;
  if (g_strcmp0 (query, self->query) == 0)
    return G_SOURCE_REMOVE;
  /* A longer query keeps only some of what is shown: only those are looked at */
  if (strstr (query, self->query) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (self->query, query) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->query);
  self->query = g_steal_pointer (&query);
  refilter (self, change);

  return G_SOURCE_REMOVE;
}

/* Setting the entry's text (a paste, a replacement) deletes, then inserts:
 * filtering once, before the next frame's layout, is enough */
static void
search_changed_cb (EscStaffPage *self)
{
  if (self->search_source == 0)
    self->search_source = g_idle_add_full (GDK_PRIORITY_REDRAW - 10, apply_search_cb, self, NULL);
}

static void
filters_changed_cb (EscStaffPage *self)
{
  if (self->filtered != NULL)
    refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
show_expiring_cb (EscStaffPage *self)
{
  gtk_drop_down_set_selected (self->designation_filter, DESIGNATION_EXPIRING);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  EscStaffPage *self = ESC_STAFF_PAGE (widget);

  gtk_drop_down_set_selected (self->role_filter, ROLE_ANY);
  gtk_drop_down_set_selected (self->team_filter, TEAM_ANY);
  gtk_drop_down_set_selected (self->designation_filter, DESIGNATION_ANY);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Changes waiting in the outbox ------------------------------------------------------ */

static void
outbox_changed_cb (EscStaffPage *self)
{
  GListModel *items = esc_outbox_get_items (self->outbox);
  g_hash_table_remove_all (self->pending);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(EscOutboxItem) item = g_list_model_get_item (items, i);
      gint64 id;

      if (esc_outbox_item_get_kind (item) != ESC_OUTBOX_KIND_SET_DESIGNATIONS ||
          esc_outbox_item_get_target (item) == NULL ||
          !g_ascii_string_to_signed (esc_outbox_item_get_target (item), 10, 1, G_MAXINT64, &id, NULL))
        continue;
      g_hash_table_insert (self->pending, g_memdup2 (&id, sizeof id), g_object_ref (item));
    }

  esc_staff_page_render_designations (self);

  if (gtk_drop_down_get_selected (self->designation_filter) == DESIGNATION_PENDING)
    refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}

/* Banners ---------------------------------------------------------------------------- */

static void
update_banners (EscStaffPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) limit = g_date_time_add_days (now, EXPIRY_WARNING_DAYS);
  GListModel *model = G_LIST_MODEL (self->directory);
  guint n_support = 0, n_team = 0, n_expiring = 0;
  guint threshold = g_settings_get_uint (self->settings, "escalation-team-threshold");

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EscStaffEntry) entry = g_list_model_get_item (model, i);

      if (esc_staff_entry_get_disabled (entry))
        continue;
      if (esc_staff_entry_get_roles (entry) & ESC_STAFF_ROLE_SUPPORT_STAFF)
        n_support++;
      if (esc_staff_entry_get_live_designations (entry, now) != 0)
        n_team++;
      if (expires_soon (entry, now, limit))
        n_expiring++;
    }

  /* "Clearly smaller": under the threshold's share of the support staff */
  if (n_team > 0 && (guint64)n_team * 100 >= (guint64)n_support * threshold)
    {
      g_autofree char *text = NULL;

      /* Translators: the escalation team's size against the support staff's;
       * the last %u is a percentage, from the settings */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The escalation team has %u person for %u support staff: keep it clearly smaller than the help desk, under %u %%.",
                                           "The escalation team has %u people for %u support staff: keep it clearly smaller than the help desk, under %u %%.",
                                           n_team),
                              n_team, n_support, threshold);
      gtk_label_set_label (self->team_banner_label, text);
      /* One line (a wrapped label in a revealer trips GTK 4.8's size checks): all of it in the tooltip */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->team_banner_label), text);
      gtk_revealer_set_reveal_child (self->team_banner, TRUE);
    }
  else
    gtk_revealer_set_reveal_child (self->team_banner, FALSE);
  /* A crossfading revealer keeps its child's height when hidden */
  gtk_widget_set_visible (GTK_WIDGET (self->team_banner), gtk_revealer_get_reveal_child (self->team_banner));

  if (n_expiring > 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u person’s designation expires within 7 days.",
                                           "%u people’s designations expire within 7 days.",
                                           n_expiring),
                              n_expiring);
      gtk_label_set_label (self->expiry_banner_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->expiry_banner_label), text);
      gtk_revealer_set_reveal_child (self->expiry_banner, TRUE);
    }
  else
    gtk_revealer_set_reveal_child (self->expiry_banner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_banner), gtk_revealer_get_reveal_child (self->expiry_banner));
}

/* The directory ---------------------------------------------------------------------- */

static void
update_teams (EscStaffPage *self)
{
  g_auto(GStrv) teams = esc_staff_directory_dup_teams (self->directory);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->teams)) - TEAM_FIRST;
  guint selected = gtk_drop_down_get_selected (self->team_filter);
  g_autofree char *selected_team = NULL;
  gboolean same = g_strv_length (teams) == n_old;

  for (guint i = 0; same && i < n_old; i++)
    same = g_strcmp0 (teams[i], gtk_string_list_get_string (self->teams, TEAM_FIRST + i)) == 0;
  if (same)
    return;

  if (selected >= TEAM_FIRST)
    selected_team = g_strdup (gtk_string_list_get_string (self->teams, selected));
  gtk_string_list_splice (self->teams, TEAM_FIRST, n_old, (const char * const *)teams);
  if (selected_team != NULL)
    {
      selected = TEAM_ANY;
      for (guint i = 0; teams[i] != NULL; i++)
        if (g_str_equal (teams[i], selected_team))
          selected = TEAM_FIRST + i;
      gtk_drop_down_set_selected (self->team_filter, selected);
    }
}

static void
directory_changed_cb (EscStaffPage *self)
{
  update_teams (self);
  update_banners (self);
  update_count (self);
}

static void
update_access (EscStaffPage *self)
{
  EscIdentity *identity = esc_account_get_identity (self->account);
  gboolean has_people = self->directory != NULL &&
                        g_list_model_get_n_items (G_LIST_MODEL (self->directory)) > 0;

  if (identity != NULL && !esc_identity_has_role (identity, "it-admin"))
    {
      g_autofree char *who = esc_identity_dup_description (identity);
      g_autofree char *text = NULL;

      /* Translators: %s is the person signed in, e.g. "Dominique Petit (support staff)" */
      text = g_strdup_printf (_("You are signed in as %s. Only IT administrators see the staff "
                                "directory, designate the escalation team, add and remove people, "
                                "and read the audit log. Ask an IT administrator of your "
                                "organisation for a change."), who);
      adw_status_page_set_description (self->denied_page, text);
      gtk_stack_set_visible_child_name (self->stack, "denied");
    }
  /* Offline, the mirror holds the directory only if an IT administrator synced it */
  else if (identity != NULL || has_people)
    gtk_stack_set_visible_child_name (self->stack, "content");
  else
    {
      adw_status_page_set_description (self->denied_page,
                                       _("Sign in to the service as an IT administrator to see "
                                         "the staff directory."));
      gtk_stack_set_visible_child_name (self->stack, "denied");
    }
}

/* Offline (or not signed in), the directory is the mirror's as last synced,
 * and changes wait in the outbox: the screen says so */
static void
update_offline (EscStaffPage *self)
{
  EscIdentity *identity = esc_account_get_identity (self->account);
  EscMirror *mirror = esc_session_get_mirror (self->session);
  gboolean offline = identity == NULL || esc_account_get_state (self->account) == ESC_ACCOUNT_STATE_OFFLINE ||
                     !esc_client_get_reachable (esc_account_get_client (self->account));

  if (offline)
    {
      const char *service = mirror != NULL ? esc_mirror_get_service (mirror) : NULL;
      const char *user = esc_account_get_user (self->account);
      g_autoptr(GDateTime) synced = service != NULL && user != NULL
                                    ? esc_mirror_dup_last_synced (mirror, service, user) : NULL;
      g_autofree char *text = NULL;

      if (synced != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (synced);
          /* Translators: when the directory was last synced (see g_date_time_format()) */
          g_autofree char *when = g_date_time_format (local, _("%-d %b %Y %H:%M"));

          /* Translators: %s is a date and time */
          text = g_strdup_printf (_("Offline: the directory as last synced on %s. Changes are kept and "
                                    "sent when the service answers."), when);
        }
      else
        text = g_strdup (_("Offline: the directory as last synced. Changes are kept and sent when the "
                           "service answers."));
      gtk_label_set_label (self->offline_banner_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->offline_banner_label), text);
    }
  gtk_revealer_set_reveal_child (self->offline_banner, offline);
  gtk_widget_set_visible (GTK_WIDGET (self->offline_banner), offline);
}

static void
workspace_changed_cb (EscStaffPage *self)
{
  EscMirror *mirror = esc_session_get_mirror (self->session);

  if (mirror == NULL || self->directory != NULL)
    return;

  self->directory = esc_staff_directory_new (mirror);
  self->outbox = esc_session_get_outbox (self->session);
  g_signal_connect_object (esc_outbox_get_items (self->outbox), "items-changed",
                           G_CALLBACK (outbox_changed_cb), self, G_CONNECT_SWAPPED);
  outbox_changed_cb (self);

  esc_staff_matches_set_directory (self->filtered, self->directory);
  g_signal_connect_object (self->directory, "items-changed", G_CALLBACK (directory_changed_cb), self,
                           G_CONNECT_SWAPPED);
  directory_changed_cb (self);
  update_access (self);
  update_offline (self);
}

static void
row_activated_cb (EscStaffPage *self,
                  guint         position)
{
  g_autoptr(GObject) row = NULL;
  EscStaffEntry *entry;
  GtkWidget *dialog;

  esc_request_rows_flush (self->rows);
  row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  if (row == NULL || (entry = ESC_STAFF_ENTRY (esc_request_rows_get_item (row))) == NULL)
    return;

  dialog = esc_staff_person_dialog_new (self->session, esc_staff_entry_get_id (entry));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_clicked_cb (EscStaffPage *self)
{
  esc_staff_show_add_dialog (GTK_WIDGET (self), self->session);
}

static void
import_clicked_cb (EscStaffPage *self)
{
  esc_staff_show_import_dialog (GTK_WIDGET (self), self->session);
}

/* The other views are built when first shown */
static void
view_changed_cb (EscStaffPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "contacts") == 0 && adw_bin_get_child (self->contacts_bin) == NULL)
    adw_bin_set_child (self->contacts_bin, esc_staff_contacts_new (self->session));
  else if (g_strcmp0 (name, "audit") == 0 && adw_bin_get_child (self->audit_bin) == NULL)
    adw_bin_set_child (self->audit_bin, esc_staff_audit_new (self->session));
}

/* GObject ------------------------------------------------------------------------------ */

static void
esc_staff_page_constructed (GObject *object)
{
  EscStaffPage *self = (EscStaffPage *)object;

  G_OBJECT_CLASS (esc_staff_page_parent_class)->constructed (object);

  self->account = esc_session_get_account (self->session);
  g_signal_connect_object (self->account, "notify::identity", G_CALLBACK (update_access), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::identity", G_CALLBACK (update_offline), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::state", G_CALLBACK (update_offline), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (esc_account_get_client (self->account), "notify::reachable",
                           G_CALLBACK (update_offline), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::workspace", G_CALLBACK (workspace_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::escalation-team-threshold",
                           G_CALLBACK (update_banners), self, G_CONNECT_SWAPPED);
  workspace_changed_cb (self);
  update_access (self);
  update_offline (self);
}

static void
esc_staff_page_dispose (GObject *object)
{
  EscStaffPage *self = (EscStaffPage *)object;

  if (self->directory != NULL)
    g_signal_handlers_disconnect_by_data (self->directory, self);
  if (self->view_switcher != NULL)
    gtk_stack_switcher_set_stack (self->view_switcher, NULL);
  g_clear_handle_id (&self->search_source, g_source_remove);
  esc_staff_page_stop_growth (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), ESC_TYPE_STAFF_PAGE);
  g_clear_object (&self->rows);
  /* Whoever still holds the shown people no longer asks this page about them */
  if (self->filtered != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->filtered, self);
      esc_staff_matches_set_directory (self->filtered, NULL);
    }
  g_clear_object (&self->filtered);
  g_clear_object (&self->directory);
  g_clear_object (&self->teams);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  esc_staff_page_forget_rows (self);

  G_OBJECT_CLASS (esc_staff_page_parent_class)->dispose (object);
}

static void
esc_staff_page_finalize (GObject *object)
{
  EscStaffPage *self = (EscStaffPage *)object;

  g_free (self->query);
  g_free (self->filter_team_name);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->expiry_limit, g_date_time_unref);

  G_OBJECT_CLASS (esc_staff_page_parent_class)->finalize (object);
}

static void
esc_staff_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EscStaffPage *self = ESC_STAFF_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_staff_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EscStaffPage *self = ESC_STAFF_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_staff_page_class_init (EscStaffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_staff_page_constructed;
  object_class->dispose = esc_staff_page_dispose;
  object_class->finalize = esc_staff_page_finalize;
  object_class->set_property = esc_staff_page_set_property;
  object_class->get_property = esc_staff_page_get_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/escalade/Escalade/ui/esc-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, stack);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, denied_page);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, offline_banner_label);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, team_banner);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, team_banner_label);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, expiry_banner);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, expiry_banner_label);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, role_filter);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, team_filter);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, designation_filter);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, directory_stack);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, team_column);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, roles_column);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, designations_column);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, contacts_bin);
  gtk_widget_class_bind_template_child (widget_class, EscStaffPage, audit_bin);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_expiring_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);

  gtk_widget_class_install_action (widget_class, "staff.clear-filters", NULL, clear_filters_action);
}

static void
esc_staff_page_init (EscStaffPage *self)
{
  const char *roles[] = { N_("Any role"), N_("IT administrator"), N_("Partner manager"),
                          N_("Support staff"), N_("Operator"), NULL };
  const char *designations[] = { N_("Any designation"), N_("Elevation"), N_("Escalation"),
                                 N_("No designation"), N_("Expiring within 7 days"),
                                 N_("Change pending"), NULL };
  g_autoptr(GtkStringList) role_list = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) designation_list = gtk_string_list_new (NULL);
  g_autoptr(GtkSingleSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  self->query = g_strdup ("");
  self->now = g_date_time_new_now_utc ();
  self->expiry_limit = g_date_time_add_days (self->now, EXPIRY_WARNING_DAYS);
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->bound = g_hash_table_new (NULL, NULL);

  for (guint i = 0; roles[i] != NULL; i++)
    gtk_string_list_append (role_list, _(roles[i]));
  for (guint i = 0; designations[i] != NULL; i++)
    gtk_string_list_append (designation_list, _(designations[i]));
  self->teams = gtk_string_list_new (NULL);
  gtk_string_list_append (self->teams, _("Any team"));
  gtk_string_list_append (self->teams, _("No team"));
  gtk_drop_down_set_model (self->role_filter, G_LIST_MODEL (role_list));
  gtk_drop_down_set_model (self->designation_filter, G_LIST_MODEL (designation_list));
  gtk_drop_down_set_model (self->team_filter, G_LIST_MODEL (self->teams));

  self->filtered = esc_staff_matches_new (filter_cb, self);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);
  update_count (self);
  self->rows = esc_request_rows_new (G_LIST_MODEL (self->filtered));
  esc_staff_page_start_growth (self);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  esc_staff_page_setup_columns (self);
  esc_ui_name_column_headers (self->column_view);
  esc_ui_drop_down_name_values (self->role_filter, _("Role"));
  esc_ui_drop_down_name_values (self->team_filter, _("Team"));
  esc_ui_drop_down_name_values (self->designation_filter, _("Designation"));
  esc_ui_name_controls (GTK_WIDGET (self));

  g_signal_connect_object (self->view_stack, "notify::visible-child-name", G_CALLBACK (view_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "changed", G_CALLBACK (search_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
esc_staff_page_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_STAFF_PAGE, "session", session, NULL);
}

GtkWidget *
esc_staff_page_get_search_entry (EscStaffPage *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_PAGE (self), NULL);
  return GTK_WIDGET (self->search_entry);
}

GListModel *
esc_staff_page_get_shown (EscStaffPage *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}
