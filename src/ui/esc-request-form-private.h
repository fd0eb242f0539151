/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-categories.h"
#include "esc-date-time-row.h"
#include "esc-request-form.h"
#include "esc-request-text-row.h"
#include "esc-support-request.h"

G_BEGIN_DECLS

struct _EscRequestForm
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkButton           *file_button;
  AdwPreferencesPage  *page;
  GtkSwitch           *hardware_switch;
  GtkSwitch           *service_switch;
  AdwActionRow        *answer_row;
  GtkImage            *answer_icon;
  AdwPreferencesGroup *request_group;
  AdwComboRow         *kind_row;
  AdwComboRow         *type_row;
  AdwComboRow         *category_row;
  AdwComboRow         *subcategory_row;
  AdwEntryRow         *title_row;
  EscRequestTextRow   *description_row;
  AdwActionRow        *severity_fixed_row;
  AdwActionRow        *severity_a_row;
  AdwActionRow        *severity_b_row;
  AdwActionRow        *severity_c_row;
  GtkCheckButton      *severity_a_check;
  GtkCheckButton      *severity_b_check;
  GtkCheckButton      *severity_c_check;
  AdwComboRow         *engagement_row;
  AdwEntryRow         *given_name_row;
  AdwEntryRow         *surname_row;
  AdwEntryRow         *email_row;
  AdwEntryRow         *phone_row;
  AdwComboRow         *method_row;
  AdwComboRow         *language_row;
  AdwActionRow        *admin_contact_row;
  AdwEntryRow         *impacted_row;
  EscRequestTextRow   *business_impact_row;
  EscDateTimeRow      *first_noticed_row;
  AdwComboRow         *reproduced_row;
  AdwComboRow         *end_user_row;
  EscRequestTextRow   *troubleshooting_row;
  EscRequestTextRow   *repro_row;
  AdwEntryRow         *devices_row;
  AdwEntryRow         *related_ticket_row;

  /* Owned references */
  EscWorkspace        *workspace;
  EscOutboxSender     *sender;
  GArray              *kinds;          /* EscSupportRequestKind, in the kind row's order */
  GHashTable          *field_rows;     /* JSON pointer → row (borrowed) */
  GHashTable          *errors;         /* row → message */
  GPtrArray           *admin_contacts; /* EscAdminContact */
  GCancellable        *cancellable;
  GSettings           *settings;
  char                *draft_key;
  GtkWidget           *focus_on_map;   /* weak: the field in error to show first */
  GtkWidget           *scroll_target;  /* weak: the field in error to scroll to, with its message */
  guint                scroll_tick;
  guint                scroll_frames;

  gint64               edit_item_id;   /* a refused request being corrected, or 0 */
  guint                draft_source;
  guint                loading : 1;    /* filling the fields: no draft, no derived answers */
  guint                facts_touched : 1;
};

/* esc-request-form-errors.c: the required fields' marks, and the problems of a
 * request shown under their fields, in the order of the screen */
void       esc_request_form_mark_required      (GtkWidget      *row);
void       esc_request_form_clear_row_error    (EscRequestForm *self,
                                                GtkWidget      *row);
void       esc_request_form_clear_errors       (EscRequestForm *self);
GtkWidget *esc_request_form_row_for_field      (EscRequestForm *self,
                                                const char     *field);
void       esc_request_form_show_field_error   (EscRequestForm *self,
                                                const char     *field,
                                                const char     *message);
void       esc_request_form_focus_first_error  (EscRequestForm *self,
                                                GtkWidget      *row);
void       esc_request_form_show_field_errors  (EscRequestForm *self,
                                                GPtrArray      *problems);
void       esc_request_form_add_problem        (GPtrArray      *problems,
                                                const char     *field,
                                                GError         *error);

/* esc-request-form-fields.c: reading the fields into a request or a draft,
 * filling them from a request, a draft or the contact remembered */
EscSupportRequestKind  esc_request_form_selected_kind            (EscRequestForm    *self);
EscSupportRequestType  esc_request_form_selected_type            (EscRequestForm    *self);
EscSupportSeverity     esc_request_form_selected_severity        (EscRequestForm    *self);
const EscCategory     *esc_request_form_selected_category        (EscRequestForm    *self);
const EscSubcategory  *esc_request_form_selected_subcategory_def (EscRequestForm    *self);
void                   esc_request_form_set_entry                (AdwEntryRow       *row,
                                                                  const char        *text);
EscSupportRequest     *esc_request_form_build_request            (EscRequestForm    *self,
                                                                  GPtrArray         *problems);
void                   esc_request_form_fill_from_request        (EscRequestForm    *self,
                                                                  EscSupportRequest *request);
void                   esc_request_form_prefill_contact          (EscRequestForm    *self);
void                   esc_request_form_remember_contact         (EscRequestForm    *self,
                                                                  EscSupportRequest *request);
JsonNode              *esc_request_form_draft_to_json            (EscRequestForm    *self);
void                   esc_request_form_fill_from_draft          (EscRequestForm    *self,
                                                                  JsonNode          *node);

/* esc-request-form-answers.c: the severity's rules and texts, where the
 * problem goes, the admin contact of its category */
void                   esc_request_form_update_severity_texts    (EscRequestForm    *self);
void                   esc_request_form_update_severity_rules    (EscRequestForm    *self);
void                   esc_request_form_facts_changed_cb         (EscRequestForm    *self);
void                   esc_request_form_apply_routing_hint       (EscRequestForm    *self);
void                   esc_request_form_update_admin_contact     (EscRequestForm    *self);
void                   esc_request_form_admin_contacts_cb        (GObject           *object,
                                                                  GAsyncResult      *result,
                                                                  gpointer           user_data);

/* esc-request-form.c */
void                   esc_request_form_schedule_draft           (EscRequestForm    *self);

G_END_DECLS
