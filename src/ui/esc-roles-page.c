/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-party.h"
#include "esc-roles-page.h"
#include "esc-session.h"
#include "esc-ui-private.h"

struct _EscRolesPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *party_column;
  GtkColumnViewColumn  *responsibilities_column;

  /* Owned references */
  EscSession           *session;
};

G_DEFINE_FINAL_TYPE (EscRolesPage, esc_roles_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_model (EscRolesPage *self,
                       GListModel   *model);

static void
bind_party_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  EscParty *party = gtk_list_item_get_item (list_item);

  esc_cell_set_text (list_item,
                     esc_party_get_name (party),
                     esc_party_get_summary (party));
}

static void
bind_responsibilities_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *list_item,
                          gpointer                  user_data)
{
  EscParty *party = gtk_list_item_get_item (list_item);
  g_autofree char *text = esc_party_dup_responsibilities_text (party);

  esc_cell_set_text (list_item, NULL, text);
}

/* The session's workspace is open: its matrix shows */
static void
workspace_changed_cb (EscRolesPage *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);

  if (workspace != NULL)
    set_model (self, esc_workspace_get_parties (workspace));
}

static void
esc_roles_page_dispose (GObject *object)
{
  EscRolesPage *self = (EscRolesPage *)object;

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
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, party_column);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, responsibilities_column);
}

static void
esc_roles_page_init (EscRolesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  esc_column_set_cell_factory (self->party_column, G_CALLBACK (bind_party_cb), self);
  esc_column_set_cell_factory (self->responsibilities_column,
                               G_CALLBACK (bind_responsibilities_cb), self);
}

static void
set_model (EscRolesPage *self,
           GListModel   *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  if (model != NULL)
    selection = gtk_no_selection_new (g_object_ref (model));

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  esc_ui_name_column_headers (self->column_view);
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

GtkColumnView *
esc_roles_page_get_column_view (EscRolesPage *self)
{
  g_return_val_if_fail (ESC_IS_ROLES_PAGE (self), NULL);
  return self->column_view;
}
