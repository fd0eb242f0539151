/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-matrix-actions.h"
#include "esc-matrix-dialogs.h"
#include "esc-party.h"
#include "esc-roles-page.h"
#include "esc-session.h"
#include "esc-sync.h"
#include "esc-ui-private.h"

/* The roles and responsibilities matrix: one group per party, one row per
 * responsibility with its areas and RACI marks, each editable, movable and
 * removable (with Undo); export, import, print and reset in the menu. */
struct _EscRolesPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toasts;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *progress;
  GtkBox               *parties_box;
  AdwEntryRow          *organisation_row;
  AdwActionRow         *model_row;
  GtkWidget            *model_button;

  /* Owned references */
  EscSession           *session;
  EscWorkspace         *workspace;
  GPtrArray            *groups;       /* the parties' AdwPreferencesGroup, in parties_box */
  EscResponsibility    *undo_item;    /* what Undo puts back */
  int                   undo_index;   /* -1: Undo restores an edit; else the removed row's place */

  /* After a rebuild, the row (and its button) that had the focus */
  gint64                focus_id;
  const char           *focus_action;

  guint                 loading : 1;
};

G_DEFINE_FINAL_TYPE (EscRolesPage, esc_roles_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
context_init (EscRolesPage     *self,
              EscMatrixContext *context)
{
  context->page = GTK_WIDGET (self);
  context->workspace = self->workspace;
  context->kind = ESC_MATRIX_ROLES;
  context->toasts = self->toasts;
  context->progress_revealer = self->progress_revealer;
  context->progress = self->progress;
}

static char *
dup_raci_summary (EscRolesPage      *self,
                  EscResponsibility *item)
{
  GListModel *parties = esc_workspace_get_parties (self->workspace);
  g_autoptr(GString) out = g_string_new (NULL);

  for (EscRaci raci = ESC_RACI_RESPONSIBLE; raci <= ESC_RACI_INFORMED; raci++)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
        {
          g_autoptr(EscParty) party = g_list_model_get_item (parties, i);

          if (esc_responsibility_get_raci (item, esc_party_get_id (party)) != raci)
            continue;
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, esc_party_get_name (party));
        }
      if (names->len == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, " · ");
      /* Translators: a RACI role and the parties that hold it, e.g. "Accountable: IT administrator" */
      g_string_append_printf (out, _("%s: %s"), esc_raci_get_label (raci), names->str);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GtkWidget *
row_button (const char *icon,
            const char *label,
            const char *action,
            gint64      id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", id);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "esc-action", (gpointer)action);

  return button;
}

static GtkWidget *
make_row (EscRolesPage      *self,
          EscResponsibility *item,
          gboolean           first,
          gboolean           last)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *raci = dup_raci_summary (self, item);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char * const *areas = esc_responsibility_get_areas (item);
  GtkWidget *up, *down;
  gint64 id = esc_responsibility_get_id (item);

  for (guint i = 0; areas[i] != NULL; i++)
    g_string_append_printf (subtitle, "• %s\n", areas[i]);
  g_string_append (subtitle, raci);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), esc_responsibility_get_text (item));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "roles.edit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", id);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "esc-id", g_memdup2 (&id, sizeof id), g_free);

  up = row_button ("go-up-symbolic", _("Move Up"), "roles.move-up", id);
  down = row_button ("go-down-symbolic", _("Move Down"), "roles.move-down", id);
  gtk_widget_set_sensitive (up, !first);
  gtk_widget_set_sensitive (down, !last);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), up);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), down);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("document-edit-symbolic", _("Edit"), "roles.edit", id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("user-trash-symbolic", _("Remove"), "roles.remove", id));

  return row;
}

/* Focus the button of @action (or the row) of responsibility @id, after a rebuild */
static gboolean
restore_focus (GtkWidget  *widget,
               gint64      id,
               const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child))
        {
          gint64 *row_id = g_object_get_data (G_OBJECT (child), "esc-id");

          if (row_id != NULL && *row_id == id)
            {
              GtkWidget *target = child;

              if (action != NULL)
                {
                  GtkWidget *found = NULL;
                  GtkWidget *stack[64];
                  guint n = 0;

                  stack[n++] = child;
                  while (n > 0 && found == NULL)
                    {
                      GtkWidget *w = stack[--n];

                      if (GTK_IS_BUTTON (w) &&
                          g_strcmp0 (g_object_get_data (G_OBJECT (w), "esc-action"), action) == 0)
                        found = w;
                      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL && n < 64;
                           c = gtk_widget_get_next_sibling (c))
                        stack[n++] = c;
                    }
                  if (found != NULL && gtk_widget_get_sensitive (found))
                    target = found;
                }
              gtk_widget_grab_focus (target);
              return TRUE;
            }
        }
      if (restore_focus (child, id, action))
        return TRUE;
    }

  return FALSE;
}

static void
rebuild (EscRolesPage *self)
{
  GListModel *parties;
  GListModel *items;

  for (guint i = 0; i < self->groups->len; i++)
    gtk_box_remove (self->parties_box, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);

  if (self->workspace == NULL)
    return;

  parties = esc_workspace_get_parties (self->workspace);
  items = esc_workspace_get_responsibilities (self->workspace);

  for (guint p = 0; p < g_list_model_get_n_items (parties); p++)
    {
      g_autoptr(EscParty) party = g_list_model_get_item (parties, p);
      GtkWidget *group = adw_preferences_group_new ();
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), esc_party_get_name (party));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             esc_party_get_summary (party));

      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(EscResponsibility) item = g_list_model_get_item (items, i);

          if (g_str_equal (esc_responsibility_get_party_id (item), esc_party_get_id (party)))
            g_ptr_array_add (rows, g_object_ref (item));
        }

      if (rows->len == 0)
        {
          GtkWidget *empty = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty), _("No responsibility"));
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), empty);
        }
      for (guint i = 0; i < rows->len; i++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   make_row (self, g_ptr_array_index (rows, i), i == 0,
                                             i + 1 == rows->len));

      gtk_box_append (self->parties_box, group);
      g_ptr_array_add (self->groups, group);
    }

  if (self->focus_id != 0)
    restore_focus (GTK_WIDGET (self->parties_box), self->focus_id, self->focus_action);
  self->focus_id = 0;
  self->focus_action = NULL;
}

static EscResponsibility *
find_item (EscRolesPage *self,
           gint64        id,
           guint        *index_in_party)
{
  GListModel *items = esc_workspace_get_responsibilities (self->workspace);
  g_autofree char *party = NULL;
  guint index = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(EscResponsibility) item = g_list_model_get_item (items, i);

      if (party == NULL || !g_str_equal (party, esc_responsibility_get_party_id (item)))
        {
          g_free (party);
          party = g_strdup (esc_responsibility_get_party_id (item));
          index = 0;
        }
      if (esc_responsibility_get_id (item) == id)
        {
          if (index_in_party != NULL)
            *index_in_party = index;
          return g_steal_pointer (&item);
        }
      index++;
    }

  return NULL;
}

static guint
count_in_party (EscRolesPage *self,
                const char   *party_id)
{
  GListModel *items = esc_workspace_get_responsibilities (self->workspace);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(EscResponsibility) item = g_list_model_get_item (items, i);
      n += g_str_equal (esc_responsibility_get_party_id (item), party_id);
    }

  return n;
}

static void
report_error (EscRolesPage *self,
              const GError *error)
{
  EscMatrixContext context;

  context_init (self, &context);
  esc_matrix_show_error (&context, _("The Change Was Not Saved"), error);
}

static void
set_undo (EscRolesPage      *self,
          EscResponsibility *before,
          int                index,
          const char        *message)
{
  EscMatrixContext context;

  g_clear_object (&self->undo_item);
  self->undo_item = esc_responsibility_copy (before);
  self->undo_index = index;
  context_init (self, &context);
  esc_matrix_toast (&context, message, "roles.undo");
}

static void
saved_cb (EscResponsibility *edited,
          gpointer           user_data)
{
  EscRolesPage *self = user_data;
  g_autoptr(EscResponsibility) before = NULL;
  g_autoptr(GError) error = NULL;

  if (self->workspace == NULL)
    return;

  if (esc_responsibility_get_id (edited) == 0)
    {
      if (!esc_workspace_add_responsibility (self->workspace, edited, &error))
        report_error (self, error);
      return;
    }

  before = find_item (self, esc_responsibility_get_id (edited), NULL);
  self->focus_id = esc_responsibility_get_id (edited);
  if (!esc_workspace_update_responsibility (self->workspace, edited, &error))
    report_error (self, error);
  else if (before != NULL && !esc_responsibility_equal (before, edited))
    set_undo (self, before, -1, _("Responsibility saved"));
}

static void
open_dialog (EscRolesPage      *self,
             EscResponsibility *item)
{
  GtkWidget *dialog;

  dialog = esc_responsibility_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                          esc_workspace_get_parties (self->workspace), item,
                                          saved_cb, g_object_ref (self), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  EscRolesPage *self = ESC_ROLES_PAGE (widget);
  g_autoptr(EscParty) first = NULL;
  g_autoptr(EscResponsibility) item = NULL;

  if (self->workspace == NULL ||
      !(first = g_list_model_get_item (esc_workspace_get_parties (self->workspace), 0)))
    return;

  item = esc_responsibility_new (0, esc_party_get_id (first), "", NULL);
  esc_responsibility_set_raci (item, esc_party_get_id (first), ESC_RACI_RESPONSIBLE);
  open_dialog (self, item);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EscRolesPage *self = ESC_ROLES_PAGE (widget);
  g_autoptr(EscResponsibility) item = NULL;

  if (self->workspace != NULL && (item = find_item (self, g_variant_get_int64 (parameter), NULL)))
    open_dialog (self, item);
}

static void
move (EscRolesPage *self,
      GVariant     *parameter,
      int           delta,
      const char   *action)
{
  g_autoptr(GError) error = NULL;

  if (self->workspace == NULL)
    return;

  self->focus_id = g_variant_get_int64 (parameter);
  self->focus_action = action;
  if (!esc_workspace_move_responsibility (self->workspace, g_variant_get_int64 (parameter), delta,
                                          &error))
    report_error (self, error);
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  move (ESC_ROLES_PAGE (widget), parameter, -1, "roles.move-up");
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move (ESC_ROLES_PAGE (widget), parameter, +1, "roles.move-down");
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRolesPage *self = ESC_ROLES_PAGE (widget);
  g_autoptr(EscResponsibility) item = NULL;
  g_autoptr(GError) error = NULL;
  guint index = 0;

  if (self->workspace == NULL ||
      !(item = find_item (self, g_variant_get_int64 (parameter), &index)))
    return;

  if (!esc_workspace_remove_responsibility (self->workspace, esc_responsibility_get_id (item),
                                            &error))
    report_error (self, error);
  else
    set_undo (self, item, (int)index, _("Responsibility removed"));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EscRolesPage *self = ESC_ROLES_PAGE (widget);
  g_autoptr(EscResponsibility) item = g_steal_pointer (&self->undo_item);
  g_autoptr(GError) error = NULL;

  if (item == NULL || self->workspace == NULL)
    return;

  if (self->undo_index < 0)
    {
      self->focus_id = esc_responsibility_get_id (item);
      if (!esc_workspace_update_responsibility (self->workspace, item, &error))
        report_error (self, error);
      return;
    }

  /* Back at its place: added at the end of its party, then moved up */
  esc_responsibility_set_id (item, 0);
  if (!esc_workspace_add_responsibility (self->workspace, item, &error))
    {
      report_error (self, error);
      return;
    }
  self->focus_id = esc_responsibility_get_id (item);
  if (!esc_workspace_move_responsibility (self->workspace, esc_responsibility_get_id (item),
                                          self->undo_index -
                                          (int)count_in_party (self, esc_responsibility_get_party_id (item)) + 1,
                                          &error))
    report_error (self, error);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRolesPage *self = ESC_ROLES_PAGE (widget);
  EscMatrixContext context;

  if (self->workspace == NULL)
    return;
  context_init (self, &context);
  esc_matrix_choose_export (&context, g_str_equal (g_variant_get_string (parameter, NULL), "pdf")
                                      ? ESC_EXPORT_PDF : ESC_EXPORT_CSV);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRolesPage *self = ESC_ROLES_PAGE (widget);
  EscMatrixContext context;

  if (self->workspace == NULL)
    return;
  context_init (self, &context);
  esc_matrix_choose_import (&context);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EscRolesPage *self = ESC_ROLES_PAGE (widget);
  EscMatrixContext context;

  if (self->workspace == NULL)
    return;
  context_init (self, &context);
  esc_matrix_print (&context);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EscRolesPage *self = ESC_ROLES_PAGE (widget);
  EscMatrixContext context;

  if (self->workspace == NULL)
    return;
  context_init (self, &context);
  esc_matrix_confirm_reset (&context);
}

static void
organisation_applied_cb (EscRolesPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->workspace != NULL &&
      !esc_workspace_set_setting (self->workspace, ESC_WORKSPACE_SETTING_ORGANISATION,
                                  gtk_editable_get_text (GTK_EDITABLE (self->organisation_row)),
                                  &error))
    report_error (self, error);
}

/* The support model is the IT administrator's, set on the SLAs screen: shown
 * here as the exports print it */
static void
load_support_model (EscRolesPage *self)
{
  g_autoptr(EscSupportModel) model = NULL;
  const char *provider;
  g_autofree char *text = NULL;

  if (self->workspace == NULL)
    return;
  model = esc_sync_dup_support_model (self->workspace);
  provider = esc_support_model_get_provider_name (model);
  if (*provider != '\0')
    /* Translators: the support model, then the support provider: "Partner-led support — Contoso" */
    text = g_strdup_printf (_("%s — %s"), esc_support_model_kind_get_label (esc_support_model_get_kind (model)),
                            provider);
  else
    text = g_strdup (esc_support_model_kind_get_label (esc_support_model_get_kind (model)));
  adw_action_row_set_subtitle (self->model_row, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->model_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
load_settings (EscRolesPage *self)
{
  g_autofree char *organisation = NULL;

  self->loading = TRUE;
  organisation = esc_workspace_dup_setting (self->workspace, ESC_WORKSPACE_SETTING_ORGANISATION);
  gtk_editable_set_text (GTK_EDITABLE (self->organisation_row), organisation ? organisation : "");
  load_support_model (self);
  self->loading = FALSE;
}

/* The session's workspace is open: its matrix shows */
static void
workspace_changed_cb (EscRolesPage *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);

  if (workspace == self->workspace)
    return;

  if (self->workspace != NULL)
    {
      g_signal_handlers_disconnect_by_data (esc_workspace_get_responsibilities (self->workspace), self);
      g_signal_handlers_disconnect_by_data (esc_workspace_get_parties (self->workspace), self);
      g_signal_handlers_disconnect_by_data (self->workspace, self);
    }
  g_set_object (&self->workspace, workspace);

  if (workspace != NULL)
    {
      g_signal_connect_object (esc_workspace_get_responsibilities (workspace), "items-changed",
                               G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (esc_workspace_get_parties (workspace), "items-changed",
                               G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (workspace, "setting-changed::" ESC_WORKSPACE_SETTING_SUPPORT_MODEL,
                               G_CALLBACK (load_support_model), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (workspace, "setting-changed::" ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER,
                               G_CALLBACK (load_support_model), self, G_CONNECT_SWAPPED);
      load_settings (self);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roles.add", workspace != NULL);
  rebuild (self);
}

static void
esc_roles_page_dispose (GObject *object)
{
  EscRolesPage *self = (EscRolesPage *)object;

  if (self->workspace != NULL)
    {
      g_signal_handlers_disconnect_by_data (esc_workspace_get_responsibilities (self->workspace), self);
      g_signal_handlers_disconnect_by_data (esc_workspace_get_parties (self->workspace), self);
    }
  g_clear_object (&self->workspace);
  g_clear_object (&self->undo_item);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  /* The toast overlay is both the bin's child and a template child: the bin lets
   * it go first, or disposing the template would leave the bin a dangling child */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ESC_TYPE_ROLES_PAGE);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (esc_roles_page_parent_class)->dispose (object);
}

static void
esc_roles_page_constructed (GObject *object)
{
  EscRolesPage *self = (EscRolesPage *)object;

  G_OBJECT_CLASS (esc_roles_page_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));
  g_signal_connect_object (self->session, "notify::workspace",
                           G_CALLBACK (workspace_changed_cb), self, G_CONNECT_SWAPPED);
  workspace_changed_cb (self);
}

static void
esc_roles_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EscRolesPage *self = (EscRolesPage *)object;

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
esc_roles_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EscRolesPage *self = (EscRolesPage *)object;

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
esc_roles_page_class_init (EscRolesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_roles_page_constructed;
  object_class->dispose = esc_roles_page_dispose;
  object_class->get_property = esc_roles_page_get_property;
  object_class->set_property = esc_roles_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-roles-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, progress);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, parties_box);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, organisation_row);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, model_button);
  gtk_widget_class_bind_template_callback (widget_class, organisation_applied_cb);

  gtk_widget_class_install_action (widget_class, "roles.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "roles.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "roles.move-up", "x", move_up_action);
  gtk_widget_class_install_action (widget_class, "roles.move-down", "x", move_down_action);
  gtk_widget_class_install_action (widget_class, "roles.remove", "x", remove_action);
  gtk_widget_class_install_action (widget_class, "roles.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "roles.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "roles.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "roles.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "roles.reset", NULL, reset_action);
}

static void
esc_roles_page_init (EscRolesPage *self)
{
  self->groups = g_ptr_array_new ();
  self->undo_index = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));
}

/**
 * esc_roles_page_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): the screen, empty until the session's workspace is open
 */
EscRolesPage *
esc_roles_page_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_ROLES_PAGE, "session", session, NULL);
}

/**
 * esc_roles_page_export_async:
 * @self: a #EscRolesPage
 * @options: what to export (the kind is the roles matrix)
 * @file: where
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * What the Export menu does once a file is chosen.
 */
void
esc_roles_page_export_async (EscRolesPage           *self,
                             const EscExportOptions *options,
                             GFile                  *file,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  EscMatrixContext context;
  EscExportOptions roles = *options;

  g_return_if_fail (ESC_IS_ROLES_PAGE (self));
  g_return_if_fail (self->workspace != NULL);

  roles.kind = ESC_MATRIX_ROLES;
  context_init (self, &context);
  esc_matrix_export_to_file_async (&context, &roles, file, cancellable, callback, user_data);
}
