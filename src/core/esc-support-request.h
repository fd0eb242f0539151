/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Enums, each with its kebab-case wire name (data/api/openapi.yaml). */

typedef enum
{
  ESC_SUPPORT_REQUEST_KIND_ADMIN,        /*< nick=admin >*/
  ESC_SUPPORT_REQUEST_KIND_ESCALATION,   /*< nick=escalation >*/
} EscSupportRequestKind;

typedef enum
{
  ESC_SUPPORT_REQUEST_TYPE_INCIDENT,                 /*< nick=incident >*/
  ESC_SUPPORT_REQUEST_TYPE_REQUEST_FOR_INFORMATION,  /*< nick=request-for-information >*/
  ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST,           /*< nick=change-request >*/
} EscSupportRequestType;

typedef enum
{
  ESC_SUPPORT_SEVERITY_A,  /*< nick=A >*/
  ESC_SUPPORT_SEVERITY_B,  /*< nick=B >*/
  ESC_SUPPORT_SEVERITY_C,  /*< nick=C >*/
} EscSupportSeverity;

typedef enum
{
  ESC_SUPPORT_ENGAGEMENT_NONE,         /* not severity B: absent on the wire */
  ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS,  /*< nick=admin-hours >*/
  ESC_SUPPORT_ENGAGEMENT_24X7,         /*< nick=24x7 >*/
} EscSupportEngagement;

typedef enum
{
  ESC_SUPPORT_REQUEST_STATE_NEW,                  /*< nick=new >*/
  ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS,          /*< nick=in-progress >*/
  ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER,  /*< nick=waiting-on-customer >*/
  ESC_SUPPORT_REQUEST_STATE_MITIGATED,            /*< nick=mitigated >*/
  ESC_SUPPORT_REQUEST_STATE_RESOLVED,             /*< nick=resolved >*/
  ESC_SUPPORT_REQUEST_STATE_CLOSED,               /*< nick=closed >*/
} EscSupportRequestState;

typedef enum
{
  ESC_CONTACT_METHOD_EMAIL,  /*< nick=email >*/
  ESC_CONTACT_METHOD_PHONE,  /*< nick=phone >*/
} EscContactMethod;

typedef enum
{
  ESC_NEXT_ACTION_OWNER_NONE,        /* null on the wire */
  ESC_NEXT_ACTION_OWNER_CUSTOMER,    /*< nick=customer >*/
  ESC_NEXT_ACTION_OWNER_OPERATIONS,  /*< nick=operations >*/
} EscNextActionOwner;

/* A yes/no answer the filer may leave out. */
typedef enum
{
  ESC_TRISTATE_UNKNOWN = -1,
  ESC_TRISTATE_NO = 0,
  ESC_TRISTATE_YES = 1,
} EscTristate;

#define ESC_TYPE_SUPPORT_REQUEST_KIND  (esc_support_request_kind_get_type ())
#define ESC_TYPE_SUPPORT_REQUEST_TYPE  (esc_support_request_type_get_type ())
#define ESC_TYPE_SUPPORT_SEVERITY      (esc_support_severity_get_type ())
#define ESC_TYPE_SUPPORT_ENGAGEMENT    (esc_support_engagement_get_type ())
#define ESC_TYPE_SUPPORT_REQUEST_STATE (esc_support_request_state_get_type ())
#define ESC_TYPE_NEXT_ACTION_OWNER     (esc_next_action_owner_get_type ())
#define ESC_TYPE_CONTACT_METHOD        (esc_contact_method_get_type ())

GType       esc_support_request_kind_get_type     (void) G_GNUC_CONST;
GType       esc_support_request_type_get_type     (void) G_GNUC_CONST;
GType       esc_support_severity_get_type         (void) G_GNUC_CONST;
GType       esc_support_engagement_get_type       (void) G_GNUC_CONST;
GType       esc_support_request_state_get_type    (void) G_GNUC_CONST;
GType       esc_next_action_owner_get_type        (void) G_GNUC_CONST;
GType       esc_contact_method_get_type           (void) G_GNUC_CONST;

const char *esc_support_request_kind_to_string    (EscSupportRequestKind   kind);
gboolean    esc_support_request_kind_from_string  (const char             *str,
                                                   EscSupportRequestKind  *kind);
const char *esc_support_request_type_to_string    (EscSupportRequestType   type);
gboolean    esc_support_request_type_from_string  (const char             *str,
                                                   EscSupportRequestType  *type);
const char *esc_support_severity_to_string        (EscSupportSeverity      severity);
gboolean    esc_support_severity_from_string      (const char             *str,
                                                   EscSupportSeverity     *severity);
/* NONE has no string (NULL); "" and NULL do not parse. */
const char *esc_support_engagement_to_string      (EscSupportEngagement    engagement);
gboolean    esc_support_engagement_from_string    (const char             *str,
                                                   EscSupportEngagement   *engagement);
const char *esc_support_request_state_to_string   (EscSupportRequestState  state);
gboolean    esc_support_request_state_from_string (const char             *str,
                                                   EscSupportRequestState *state);
/* Open: neither resolved nor closed (what may still be edited). */
gboolean    esc_support_request_state_is_open     (EscSupportRequestState  state);
const char *esc_contact_method_to_string          (EscContactMethod        method);
gboolean    esc_contact_method_from_string        (const char             *str,
                                                   EscContactMethod       *method);
const char *esc_next_action_owner_to_string       (EscNextActionOwner      owner);
gboolean    esc_next_action_owner_from_string     (const char             *str,
                                                   EscNextActionOwner     *owner);

/* The primary contact of a request (also the shape of an admin contact). */
typedef struct
{
  char             *given_name;
  char             *surname;
  char             *email;
  char             *phone;
  EscContactMethod  preferred_method;
  char             *language;  /* BCP 47, e.g. "fr" */
} EscSupportContact;

#define ESC_TYPE_SUPPORT_CONTACT (esc_support_contact_get_type ())

GType              esc_support_contact_get_type     (void) G_GNUC_CONST;
EscSupportContact *esc_support_contact_new          (const char        *given_name,
                                                     const char        *surname,
                                                     const char        *email,
                                                     const char        *phone,
                                                     EscContactMethod   preferred_method,
                                                     const char        *language);
EscSupportContact *esc_support_contact_copy         (const EscSupportContact *contact);
void               esc_support_contact_free         (EscSupportContact *contact);
gboolean           esc_support_contact_equal        (const EscSupportContact *a,
                                                     const EscSupportContact *b);
JsonNode          *esc_support_contact_to_json      (const EscSupportContact *contact);
/* @at is the contact's JSON pointer, for errors ("/contact"). */
EscSupportContact *esc_support_contact_new_from_json (JsonNode         *node,
                                                      const char       *at,
                                                      char            **out_field,
                                                      GError          **error);
gboolean           esc_support_contact_validate     (const EscSupportContact *contact,
                                                     const char        *at,
                                                     char             **out_field,
                                                     GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscSupportContact, esc_support_contact_free)

/* One event of a request's timeline. */
typedef struct
{
  gint64     id;
  GDateTime *at;
  char      *kind;           /* "created", "state-changed", "comment", … */
  gint64     actor_id;       /* 0 when the service itself acted */
  char      *actor_name;     /* NULL when the service itself acted */
  char      *text;           /* nullable */
  char      *from_state;     /* nullable wire values */
  char      *to_state;
  char      *from_severity;
  char      *to_severity;
} EscSupportRequestEvent;

#define ESC_TYPE_SUPPORT_REQUEST_EVENT (esc_support_request_event_get_type ())

GType                   esc_support_request_event_get_type      (void) G_GNUC_CONST;
EscSupportRequestEvent *esc_support_request_event_new           (void);
EscSupportRequestEvent *esc_support_request_event_copy          (const EscSupportRequestEvent *event);
void                    esc_support_request_event_free          (EscSupportRequestEvent *event);
JsonNode               *esc_support_request_event_to_json       (const EscSupportRequestEvent *event);
EscSupportRequestEvent *esc_support_request_event_new_from_json (JsonNode   *node,
                                                                 const char *at,
                                                                 char      **out_field,
                                                                 GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscSupportRequestEvent, esc_support_request_event_free)

/**
 * EscSupportRequestJson:
 * @ESC_SUPPORT_REQUEST_JSON_CREATE: the body of POST /v1/support-requests:
 *   only the filer's fields; an unknown member is an error
 * @ESC_SUPPORT_REQUEST_JSON_RESOURCE: a request as the service returns it,
 *   with id, state, times and (if set) the timeline; unknown members are
 *   ignored, so a newer service can add some
 */
typedef enum
{
  ESC_SUPPORT_REQUEST_JSON_CREATE,
  ESC_SUPPORT_REQUEST_JSON_RESOURCE,
} EscSupportRequestJson;

/**
 * EscSupportFiler:
 * @ESC_SUPPORT_FILER_NONE: neither
 * @ESC_SUPPORT_FILER_IT_ADMIN: the filer is an IT administrator (may file kind admin)
 * @ESC_SUPPORT_FILER_ESCALATION: the filer holds a live escalation designation
 *   (may file kind escalation)
 *
 * What the filer may do, for esc_support_request_validate(). Pass both to
 * check the request's rules without the filer's (e.g. when editing).
 */
typedef enum
{
  ESC_SUPPORT_FILER_NONE       = 0,
  ESC_SUPPORT_FILER_IT_ADMIN   = 1 << 0,
  ESC_SUPPORT_FILER_ESCALATION = 1 << 1,
} EscSupportFiler;

#define ESC_SUPPORT_FILER_ANY (ESC_SUPPORT_FILER_IT_ADMIN | ESC_SUPPORT_FILER_ESCALATION)

/* Length limits, in characters (the same as openapi.yaml). */
#define ESC_SUPPORT_REQUEST_TITLE_MAX       200
#define ESC_SUPPORT_REQUEST_TEXT_MAX        20000
#define ESC_SUPPORT_REQUEST_IMPACT_MAX      5000
#define ESC_SUPPORT_REQUEST_SLUG_MAX        100
#define ESC_SUPPORT_REQUEST_NAME_MAX        100
#define ESC_SUPPORT_REQUEST_DEVICES_MAX     1000
#define ESC_SUPPORT_REQUEST_ATTACHMENTS_MAX 50
#define ESC_SUPPORT_REQUEST_ATTACHMENT_MAX  500

/* How far ahead of the checker's clock a time may be (another machine's clock) */
#define ESC_SUPPORT_REQUEST_CLOCK_SKEW (5 * G_TIME_SPAN_MINUTE)

/**
 * EscFieldError:
 * @field: the JSON pointer of the field at fault, e.g. "/contact/email"
 * @error: why, in the %ESC_CORE_ERROR domain
 *
 * One problem of esc_support_request_validate_all().
 */
typedef struct
{
  char   *field;
  GError *error;
} EscFieldError;

void esc_field_error_free (EscFieldError *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscFieldError, esc_field_error_free)

#define ESC_TYPE_SUPPORT_REQUEST (esc_support_request_get_type ())

G_DECLARE_FINAL_TYPE (EscSupportRequest, esc_support_request, ESC, SUPPORT_REQUEST, GObject)

EscSupportRequest      *esc_support_request_new                 (void);
EscSupportRequest      *esc_support_request_new_from_json       (JsonNode               *node,
                                                                 EscSupportRequestJson   mode,
                                                                 char                  **out_field,
                                                                 GError                **error);
JsonNode               *esc_support_request_to_json             (EscSupportRequest      *self,
                                                                 EscSupportRequestJson   mode);
gboolean                esc_support_request_validate            (EscSupportRequest      *self,
                                                                 EscSupportFiler         filer,
                                                                 char                  **out_field,
                                                                 GError                **error);
gboolean                esc_support_request_check_times         (EscSupportRequest      *self,
                                                                 GDateTime              *now,
                                                                 char                  **out_field,
                                                                 GError                **error);
GPtrArray              *esc_support_request_validate_all        (EscSupportRequest      *self,
                                                                 EscSupportFiler         filer,
                                                                 GDateTime              *now);

/* The filer's fields */
EscSupportRequestKind   esc_support_request_get_kind            (EscSupportRequest      *self);
void                    esc_support_request_set_kind            (EscSupportRequest      *self,
                                                                 EscSupportRequestKind   kind);
EscSupportRequestType   esc_support_request_get_request_type    (EscSupportRequest      *self);
void                    esc_support_request_set_request_type    (EscSupportRequest      *self,
                                                                 EscSupportRequestType   type);
EscSupportSeverity      esc_support_request_get_severity        (EscSupportRequest      *self);
void                    esc_support_request_set_severity        (EscSupportRequest      *self,
                                                                 EscSupportSeverity      severity);
EscSupportEngagement    esc_support_request_get_engagement      (EscSupportRequest      *self);
void                    esc_support_request_set_engagement      (EscSupportRequest      *self,
                                                                 EscSupportEngagement    engagement);
const char             *esc_support_request_get_category        (EscSupportRequest      *self);
void                    esc_support_request_set_category        (EscSupportRequest      *self,
                                                                 const char             *category);
const char             *esc_support_request_get_subcategory     (EscSupportRequest      *self);
void                    esc_support_request_set_subcategory     (EscSupportRequest      *self,
                                                                 const char             *subcategory);
const char             *esc_support_request_get_title           (EscSupportRequest      *self);
void                    esc_support_request_set_title           (EscSupportRequest      *self,
                                                                 const char             *title);
const char             *esc_support_request_get_description     (EscSupportRequest      *self);
void                    esc_support_request_set_description     (EscSupportRequest      *self,
                                                                 const char             *description);
const EscSupportContact *esc_support_request_get_contact        (EscSupportRequest      *self);
void                    esc_support_request_set_contact         (EscSupportRequest      *self,
                                                                 const EscSupportContact *contact);
/* -1 when not given */
gint64                  esc_support_request_get_users_or_devices_impacted (EscSupportRequest *self);
void                    esc_support_request_set_users_or_devices_impacted (EscSupportRequest *self,
                                                                           gint64             count);
const char             *esc_support_request_get_business_impact (EscSupportRequest      *self);
void                    esc_support_request_set_business_impact (EscSupportRequest      *self,
                                                                 const char             *text);
GDateTime              *esc_support_request_get_first_noticed_at (EscSupportRequest     *self);
void                    esc_support_request_set_first_noticed_at (EscSupportRequest     *self,
                                                                  GDateTime             *time);
EscTristate             esc_support_request_get_reproduced_on_unmanaged_device (EscSupportRequest *self);
void                    esc_support_request_set_reproduced_on_unmanaged_device (EscSupportRequest *self,
                                                                                EscTristate        value);
EscTristate             esc_support_request_get_end_user_support_engaged (EscSupportRequest *self);
void                    esc_support_request_set_end_user_support_engaged (EscSupportRequest *self,
                                                                          EscTristate        value);
const char             *esc_support_request_get_troubleshooting_steps (EscSupportRequest *self);
void                    esc_support_request_set_troubleshooting_steps (EscSupportRequest *self,
                                                                       const char        *text);
const char             *esc_support_request_get_steps_to_reproduce (EscSupportRequest   *self);
void                    esc_support_request_set_steps_to_reproduce (EscSupportRequest   *self,
                                                                    const char          *text);
const char * const     *esc_support_request_get_devices         (EscSupportRequest      *self);
void                    esc_support_request_set_devices         (EscSupportRequest      *self,
                                                                 const char * const     *devices);
const char             *esc_support_request_get_related_ticket  (EscSupportRequest      *self);
void                    esc_support_request_set_related_ticket  (EscSupportRequest      *self,
                                                                 const char             *ticket);
/* Editable while open */
const char             *esc_support_request_get_notes           (EscSupportRequest      *self);
void                    esc_support_request_set_notes           (EscSupportRequest      *self,
                                                                 const char             *notes);
const char * const     *esc_support_request_get_attachments     (EscSupportRequest      *self);
void                    esc_support_request_set_attachments     (EscSupportRequest      *self,
                                                                 const char * const     *attachments);

/* What the service returns */
const char             *esc_support_request_get_id              (EscSupportRequest      *self);
void                    esc_support_request_set_id              (EscSupportRequest      *self,
                                                                 const char             *id);
EscSupportRequestState  esc_support_request_get_state           (EscSupportRequest      *self);
void                    esc_support_request_set_state           (EscSupportRequest      *self,
                                                                 EscSupportRequestState  state);
gint64                  esc_support_request_get_filer_id        (EscSupportRequest      *self);
const char             *esc_support_request_get_filer_name      (EscSupportRequest      *self);
void                    esc_support_request_set_filer           (EscSupportRequest      *self,
                                                                 gint64                  id,
                                                                 const char             *name);
GDateTime              *esc_support_request_get_created_at      (EscSupportRequest      *self);
void                    esc_support_request_set_created_at      (EscSupportRequest      *self,
                                                                 GDateTime              *time);
GDateTime              *esc_support_request_get_updated_at      (EscSupportRequest      *self);
void                    esc_support_request_set_updated_at      (EscSupportRequest      *self,
                                                                 GDateTime              *time);
GDateTime              *esc_support_request_get_response_due_at (EscSupportRequest      *self);
void                    esc_support_request_set_response_due_at (EscSupportRequest      *self,
                                                                 GDateTime              *time);
GDateTime              *esc_support_request_get_resolved_at     (EscSupportRequest      *self);
void                    esc_support_request_set_resolved_at     (EscSupportRequest      *self,
                                                                 GDateTime              *time);
GDateTime              *esc_support_request_get_closed_at       (EscSupportRequest      *self);
void                    esc_support_request_set_closed_at       (EscSupportRequest      *self,
                                                                 GDateTime              *time);
EscNextActionOwner      esc_support_request_get_next_action_owner (EscSupportRequest    *self);
void                    esc_support_request_set_next_action_owner (EscSupportRequest    *self,
                                                                   EscNextActionOwner    owner);
GDateTime              *esc_support_request_get_next_action_at  (EscSupportRequest      *self);
void                    esc_support_request_set_next_action_at  (EscSupportRequest      *self,
                                                                 GDateTime              *time);
/* (element-type EscSupportRequestEvent) (nullable): NULL when not fetched */
GPtrArray              *esc_support_request_get_timeline        (EscSupportRequest      *self);
void                    esc_support_request_set_timeline        (EscSupportRequest      *self,
                                                                 GPtrArray              *timeline);

G_END_DECLS
