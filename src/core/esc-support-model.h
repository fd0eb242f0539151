/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * EscSupportModelKind:
 * @ESC_SUPPORT_MODEL_NOT_CHOSEN: no IT administrator has chosen yet (null on the wire)
 * @ESC_SUPPORT_MODEL_CUSTOMER_LED: the organisation's own help desk ("customer-led")
 * @ESC_SUPPORT_MODEL_PARTNER_LED: a partner's help desk ("partner-led")
 */
typedef enum
{
  ESC_SUPPORT_MODEL_NOT_CHOSEN,
  ESC_SUPPORT_MODEL_CUSTOMER_LED,
  ESC_SUPPORT_MODEL_PARTNER_LED,
} EscSupportModelKind;

#define ESC_SUPPORT_MODEL_MAX_PROVIDER_CHARS 200
#define ESC_SUPPORT_MODEL_MAX_CONTACTS_CHARS 1000

#define ESC_TYPE_SUPPORT_MODEL (esc_support_model_get_type ())

G_DECLARE_FINAL_TYPE (EscSupportModel, esc_support_model, ESC, SUPPORT_MODEL, GObject)

/* "customer-led", "partner-led"; NULL for ESC_SUPPORT_MODEL_NOT_CHOSEN */
const char          *esc_support_model_kind_to_string   (EscSupportModelKind  kind);
/* @str NULL reads as ESC_SUPPORT_MODEL_NOT_CHOSEN */
gboolean             esc_support_model_kind_from_string (const char          *str,
                                                         EscSupportModelKind *kind);
/* What a person reads: "Customer-led support", "Partner-led support",
 * "Support model not chosen" (translated) */
const char          *esc_support_model_kind_get_label   (EscSupportModelKind  kind);

/* The support model (GET/PUT /v1/support-model): customer-led or partner-led,
 * the support provider's name and how to reach them, and who set it when. */
EscSupportModel     *esc_support_model_new              (EscSupportModelKind  kind,
                                                         const char          *provider_name,
                                                         const char          *provider_contacts);
/* @body: read what an IT administrator writes (model, provider_name,
 * provider_contacts; the model required and partner-led naming its provider),
 * refusing what the service records (updated_at, updated_by). Unknown members
 * are refused; errors are ESC_CORE_ERROR and name the member (“provider_name”). */
EscSupportModel     *esc_support_model_new_from_json    (JsonNode            *node,
                                                         gboolean             body,
                                                         GError             **error);
JsonNode            *esc_support_model_to_json          (EscSupportModel     *self);
/* What PUT sends: model, provider_name, provider_contacts */
JsonNode            *esc_support_model_body_to_json     (EscSupportModel     *self);
/* Whether @self may be set: a model chosen, and a partner-led one names its
 * provider; names are at most their maximum length. */
gboolean             esc_support_model_validate         (EscSupportModel     *self,
                                                         GError             **error);

EscSupportModelKind  esc_support_model_get_kind              (EscSupportModel *self);
/* never NULL ("" when none) */
const char          *esc_support_model_get_provider_name     (EscSupportModel *self);
const char          *esc_support_model_get_provider_contacts (EscSupportModel *self);
/* (nullable) */
GDateTime           *esc_support_model_get_updated_at        (EscSupportModel *self);
const char          *esc_support_model_get_updated_by        (EscSupportModel *self);
void                 esc_support_model_set_updated           (EscSupportModel *self,
                                                              GDateTime       *at,
                                                              const char      *by);
gboolean             esc_support_model_equal_terms           (EscSupportModel *a,
                                                              EscSupportModel *b);

G_END_DECLS
