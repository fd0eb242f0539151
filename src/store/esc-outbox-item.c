/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include "esc-outbox-item.h"

/* One change waiting in the outbox, as the store read it. Immutable: when the
 * row changes, the outbox's model holds a new item in its place. */
struct _EscOutboxItem
{
  GObject         parent_instance;

  gint64          id;
  char           *service;
  char           *account;
  EscOutboxKind   kind;
  char           *method;
  char           *path;
  char           *target;
  char           *title;
  char           *body;
  char           *idempotency_key;
  EscOutboxState  state;
  GDateTime      *created_at;
  guint           attempts;
  GDateTime      *next_attempt_at;
  char           *error_code;
  guint           error_status;
  char           *error_message;
  char           *error_field;
  char           *if_match;
};

G_DEFINE_FINAL_TYPE (EscOutboxItem, esc_outbox_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SERVICE,
  PROP_ACCOUNT,
  PROP_KIND,
  PROP_METHOD,
  PROP_PATH,
  PROP_TARGET,
  PROP_TITLE,
  PROP_BODY,
  PROP_IDEMPOTENCY_KEY,
  PROP_STATE,
  PROP_CREATED_AT,
  PROP_ATTEMPTS,
  PROP_NEXT_ATTEMPT_AT,
  PROP_ERROR_CODE,
  PROP_ERROR_STATUS,
  PROP_ERROR_MESSAGE,
  PROP_ERROR_FIELD,
  PROP_IF_MATCH,
  PROP_REFUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = {
  [ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST] = "create-support-request",
  [ESC_OUTBOX_KIND_PATCH_SUPPORT_REQUEST] = "patch-support-request",
  [ESC_OUTBOX_KIND_COMMENT] = "comment",
  [ESC_OUTBOX_KIND_REACTIVATE] = "reactivate",
  [ESC_OUTBOX_KIND_SET_DESIGNATIONS] = "set-designations",
};

/**
 * esc_outbox_kind_to_string:
 * @kind: a kind of change
 *
 * Returns: the name stored in the workspace, e.g. "create-support-request"
 */
const char *
esc_outbox_kind_to_string (EscOutboxKind kind)
{
  g_return_val_if_fail ((guint)kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

gboolean
esc_outbox_kind_from_string (const char    *text,
                             EscOutboxKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (text, kind_names[i]) == 0)
        {
          *kind = (EscOutboxKind)i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
esc_outbox_state_to_string (EscOutboxState state)
{
  return state == ESC_OUTBOX_STATE_REFUSED ? "refused" : "queued";
}

static void
esc_outbox_item_finalize (GObject *object)
{
  EscOutboxItem *self = (EscOutboxItem *)object;

  g_free (self->service);
  g_free (self->account);
  g_free (self->method);
  g_free (self->path);
  g_free (self->target);
  g_free (self->title);
  g_free (self->body);
  g_free (self->idempotency_key);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->next_attempt_at, g_date_time_unref);
  g_free (self->error_code);
  g_free (self->error_message);
  g_free (self->error_field);
  g_free (self->if_match);

  G_OBJECT_CLASS (esc_outbox_item_parent_class)->finalize (object);
}

static void
esc_outbox_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EscOutboxItem *self = ESC_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_SERVICE:
      g_value_set_string (value, self->service);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_IDEMPOTENCY_KEY:
      g_value_set_string (value, self->idempotency_key);
      break;
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_NEXT_ATTEMPT_AT:
      g_value_set_boxed (value, self->next_attempt_at);
      break;
    case PROP_ERROR_CODE:
      g_value_set_string (value, self->error_code);
      break;
    case PROP_ERROR_STATUS:
      g_value_set_uint (value, self->error_status);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_ERROR_FIELD:
      g_value_set_string (value, self->error_field);
      break;

    case PROP_IF_MATCH:
      g_value_set_string (value, self->if_match);
      break;
    case PROP_REFUSED:
      g_value_set_boolean (value, self->state == ESC_OUTBOX_STATE_REFUSED);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_outbox_item_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EscOutboxItem *self = ESC_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_SERVICE:
      self->service = g_value_dup_string (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_uint (value);
      break;
    case PROP_METHOD:
      self->method = g_value_dup_string (value);
      break;
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_TARGET:
      self->target = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    case PROP_BODY:
      self->body = g_value_dup_string (value);
      break;
    case PROP_IDEMPOTENCY_KEY:
      self->idempotency_key = g_value_dup_string (value);
      break;
    case PROP_STATE:
      self->state = g_value_get_uint (value);
      break;
    case PROP_CREATED_AT:
      self->created_at = g_value_dup_boxed (value);
      break;
    case PROP_ATTEMPTS:
      self->attempts = g_value_get_uint (value);
      break;
    case PROP_NEXT_ATTEMPT_AT:
      self->next_attempt_at = g_value_dup_boxed (value);
      break;
    case PROP_ERROR_CODE:
      self->error_code = g_value_dup_string (value);
      break;
    case PROP_ERROR_STATUS:
      self->error_status = g_value_get_uint (value);
      break;
    case PROP_ERROR_MESSAGE:
      self->error_message = g_value_dup_string (value);
      break;
    case PROP_ERROR_FIELD:
      self->error_field = g_value_dup_string (value);
      break;

    case PROP_IF_MATCH:
      self->if_match = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_outbox_item_class_init (EscOutboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_outbox_item_finalize;
  object_class->get_property = esc_outbox_item_get_property;
  object_class->set_property = esc_outbox_item_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SERVICE] = g_param_spec_string ("service", NULL, NULL, NULL, flags);
  properties[PROP_ACCOUNT] = g_param_spec_string ("account", NULL, NULL, NULL, flags);
  /* An EscOutboxKind */
  properties[PROP_KIND] = g_param_spec_uint ("kind", NULL, NULL, 0, ESC_OUTBOX_KIND_SET_DESIGNATIONS,
                                             0, flags);
  properties[PROP_METHOD] = g_param_spec_string ("method", NULL, NULL, NULL, flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  properties[PROP_TARGET] = g_param_spec_string ("target", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, flags);
  properties[PROP_IDEMPOTENCY_KEY] = g_param_spec_string ("idempotency-key", NULL, NULL, NULL, flags);
  /* An EscOutboxState */
  properties[PROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, ESC_OUTBOX_STATE_REFUSED,
                                              0, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NEXT_ATTEMPT_AT] = g_param_spec_boxed ("next-attempt-at", NULL, NULL,
                                                         G_TYPE_DATE_TIME, flags);
  properties[PROP_ERROR_CODE] = g_param_spec_string ("error-code", NULL, NULL, NULL, flags);
  properties[PROP_ERROR_STATUS] = g_param_spec_uint ("error-status", NULL, NULL, 0, 999, 0, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_ERROR_FIELD] = g_param_spec_string ("error-field", NULL, NULL, NULL, flags);
  properties[PROP_IF_MATCH] = g_param_spec_string ("if-match", NULL, NULL, NULL, flags);
  /* For bindings in the UI: state == refused */
  properties[PROP_REFUSED] = g_param_spec_boolean ("refused", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_outbox_item_init (EscOutboxItem *self)
{
}

gint64
esc_outbox_item_get_id (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), 0);
  return self->id;
}

const char *
esc_outbox_item_get_service (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->service;
}

const char *
esc_outbox_item_get_account (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->account;
}

EscOutboxKind
esc_outbox_item_get_kind (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), 0);
  return self->kind;
}

const char *
esc_outbox_item_get_method (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->method;
}

const char *
esc_outbox_item_get_path (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->path;
}

const char *
esc_outbox_item_get_target (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->target;
}

const char *
esc_outbox_item_get_title (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->title;
}

const char *
esc_outbox_item_get_body (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->body;
}

const char *
esc_outbox_item_get_idempotency_key (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->idempotency_key;
}

EscOutboxState
esc_outbox_item_get_state (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), 0);
  return self->state;
}

GDateTime *
esc_outbox_item_get_created_at (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->created_at;
}

guint
esc_outbox_item_get_attempts (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), 0);
  return self->attempts;
}

GDateTime *
esc_outbox_item_get_next_attempt_at (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->next_attempt_at;
}

const char *
esc_outbox_item_get_error_code (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->error_code;
}

guint
esc_outbox_item_get_error_status (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), 0);
  return self->error_status;
}

const char *
esc_outbox_item_get_error_message (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->error_message;
}

const char *
esc_outbox_item_get_error_field (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->error_field;
}

const char *
esc_outbox_item_get_if_match (EscOutboxItem *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (self), NULL);
  return self->if_match;
}
