/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-support-request-private.h"
#include "esc-time.h"

/* The checks of a support request: text limits, contacts, and the filing
 * rules (escalations and change requests are severity C only, severity B
 * needs an engagement); the first problem or every one. */

/* Text checks */

gboolean
esc_support_is_slug (const char *text)
{
  gboolean after_dash = TRUE;

  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_islower (*p) || g_ascii_isdigit (*p))
        after_dash = FALSE;
      else if (*p == '-' && !after_dash)
        after_dash = TRUE;
      else
        return FALSE;
    }

  return !after_dash;
}

/* A rough check, on purpose: one "@", something before it, a dotted domain
 * after it, no spaces. Whether the mailbox exists is not ours to say. */
static gboolean
is_email (const char *text)
{
  const char *at;
  const char *domain;

  if (text == NULL || strlen (text) < 3 || strlen (text) > 254)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("<>,;\"", *p) != NULL)
        return FALSE;
    }

  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;

  domain = at + 1;
  return domain[0] != '\0' && domain[0] != '.' && domain[0] != '-' &&
         !g_str_has_suffix (domain, ".") && strstr (domain, "..") == NULL &&
         strchr (domain, '.') != NULL;
}

/* BCP 47, shallowly: letters first, then letters, digits and hyphens. */
static gboolean
is_language_tag (const char *text)
{
  gsize len = text ? strlen (text) : 0;

  if (len < 2 || len > 35 || !g_ascii_isalpha (text[0]))
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }

  return text[len - 1] != '-';
}

static gboolean
has_digit (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        return TRUE;
    }

  return FALSE;
}

/* Checks a text value: not too long, no control characters, and, if
 * @required, not blank. */
static gboolean
check_list (const char * const  *items,
            const char          *field,
            guint                max_items,
            guint                max_chars,
            char               **out_field,
            GError             **error)
{
  g_autofree char *label = esc_support_field_label (field);
  guint n = items != NULL ? g_strv_length ((char **)items) : 0;

  if (n > max_items)
    return esc_support_fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, field,
                 _("“%s” has too many items: %u, at most %u."), label, n, max_items);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_field = g_strdup_printf ("%s/%u", field, i);

      if (!esc_support_check_text (items[i], item_field, TRUE, max_chars, out_field, error))
        return FALSE;
    }

  return TRUE;
}

/* Validation: the first problem, or every one ------------------------------------- */

/* The checks below run in order. Looking for the first problem, the first
 * check that fails stops them, its field and error kept; collecting them
 * all (@all set), each failed check adds its problem, the first one for its
 * field only (“required” rather than “not an email address” as well), and
 * the checks go on. */
typedef struct
{
  GPtrArray *all;    /* (element-type EscFieldError) (nullable) */
  char      *field;
  GError    *error;
} Problems;

static gboolean
has_problem (GPtrArray  *all,
             const char *field)
{
  for (guint i = 0; i < all->len; i++)
    {
      EscFieldError *problem = g_ptr_array_index (all, i);

      if (g_strcmp0 (problem->field, field) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Whether to go on after a check that gave @ok */
static gboolean
problems_keep (Problems *p,
               gboolean  ok)
{
  if (ok)
    return TRUE;
  if (p->all == NULL)
    return FALSE;

  if (!has_problem (p->all, p->field))
    {
      EscFieldError *problem = g_new0 (EscFieldError, 1);

      problem->field = g_steal_pointer (&p->field);
      problem->error = g_steal_pointer (&p->error);
      g_ptr_array_add (p->all, problem);
    }
  g_clear_pointer (&p->field, g_free);
  g_clear_error (&p->error);

  return TRUE;
}

#define CHECK(p, ok) G_STMT_START { if (!problems_keep ((p), (ok))) return FALSE; } G_STMT_END

/* The first problem, to the caller */
static gboolean
problems_give (Problems   *p,
               gboolean    ok,
               char      **out_field,
               GError    **error)
{
  if (ok)
    return TRUE;

  if (out_field != NULL)
    {
      g_free (*out_field);
      *out_field = g_steal_pointer (&p->field);
    }
  g_propagate_error (error, g_steal_pointer (&p->error));
  g_clear_pointer (&p->field, g_free);

  return FALSE;
}

/**
 * esc_field_error_free:
 * @problem: (transfer full): a problem of esc_support_request_validate_all()
 */
void
esc_field_error_free (EscFieldError *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->field);
  g_clear_error (&problem->error);
  g_free (problem);
}

static gboolean
check_contact (const EscSupportContact *contact,
               const char              *at,
               Problems                *p)
{
  g_autofree char *email_field = esc_support_join_field (at, "email");
  g_autofree char *phone_field = esc_support_join_field (at, "phone");
  g_autofree char *language_field = esc_support_join_field (at, "language");
  g_autofree char *given_field = esc_support_join_field (at, "given_name");
  g_autofree char *surname_field = esc_support_join_field (at, "surname");
  g_autofree char *method_field = esc_support_join_field (at, "preferred_method");

  if (contact == NULL)
    {
      g_autofree char *label = esc_support_field_label (at);

      CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_MISSING_FIELD, at,
                      _("“%s” is required."), label));
      return TRUE;
    }

  CHECK (p, esc_support_check_text (contact->given_name, given_field, TRUE, ESC_SUPPORT_REQUEST_NAME_MAX,
                        &p->field, &p->error));
  CHECK (p, esc_support_check_text (contact->surname, surname_field, TRUE, ESC_SUPPORT_REQUEST_NAME_MAX,
                        &p->field, &p->error));
  CHECK (p, esc_support_check_text (contact->email, email_field, TRUE, 254, &p->field, &p->error));

  if (!is_email (contact->email))
    {
      g_autofree char *label = esc_support_field_label (email_field);

      CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, email_field,
                      _("“%s” is not a valid email address."), label));
    }

  CHECK (p, esc_support_check_text (contact->phone, phone_field, TRUE, 40, &p->field, &p->error));

  if (!has_digit (contact->phone))
    {
      g_autofree char *label = esc_support_field_label (phone_field);

      CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, phone_field,
                      _("“%s” is not a phone number."), label));
    }

  if (contact->preferred_method != ESC_CONTACT_METHOD_EMAIL &&
      contact->preferred_method != ESC_CONTACT_METHOD_PHONE)
    {
      g_autofree char *label = esc_support_field_label (method_field);

      CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, method_field,
                      _("“%s” must be email or phone."), label));
    }

  CHECK (p, esc_support_check_text (contact->language, language_field, TRUE, 35, &p->field, &p->error));

  if (!is_language_tag (contact->language))
    {
      g_autofree char *label = esc_support_field_label (language_field);

      CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, language_field,
                      _("“%s” is not a language tag such as “fr” or “en-GB”."), label));
    }

  return TRUE;
}

/**
 * esc_support_contact_validate:
 * @contact: (nullable): a contact
 * @at: its JSON pointer, e.g. "/contact"
 * @out_field: (out) (optional) (transfer full): the field at fault
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * Every member is required: names (100 characters), a plausible email
 * address, a phone number with digits (40), a BCP 47 language tag.
 *
 * Returns: %TRUE if valid
 */
gboolean
esc_support_contact_validate (const EscSupportContact  *contact,
                              const char               *at,
                              char                    **out_field,
                              GError                  **error)
{
  Problems p = { NULL, };

  return problems_give (&p, check_contact (contact, at, &p), out_field, error);
}

/* Validation */

static gboolean
check_request (EscSupportRequest *self,
               EscSupportFiler    filer,
               GDateTime         *now,
               Problems          *p)
{
  if (self->kind == ESC_SUPPORT_REQUEST_KIND_ADMIN && !(filer & ESC_SUPPORT_FILER_IT_ADMIN))
    CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/kind",
                    _("Only an IT administrator can file an admin support request.")));

  if (self->kind == ESC_SUPPORT_REQUEST_KIND_ESCALATION && !(filer & ESC_SUPPORT_FILER_ESCALATION))
    CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/kind",
                    _("Filing an escalation needs a live escalation designation.")));

  if (self->kind == ESC_SUPPORT_REQUEST_KIND_ESCALATION && self->severity != ESC_SUPPORT_SEVERITY_C)
    CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/severity",
                    _("Escalations can only be severity C. An IT administrator must file other "
                      "severities as an admin support request.")));

  if (self->type == ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST && self->severity != ESC_SUPPORT_SEVERITY_C)
    CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/severity",
                    _("Change requests are always severity C.")));

  if (self->severity == ESC_SUPPORT_SEVERITY_B && self->engagement == ESC_SUPPORT_ENGAGEMENT_NONE)
    CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_MISSING_FIELD, "/engagement",
                    _("A severity B request needs an engagement: admin-hours, or 24x7 if the "
                      "filer can engage round the clock.")));

  if (self->severity != ESC_SUPPORT_SEVERITY_B && self->engagement != ESC_SUPPORT_ENGAGEMENT_NONE)
    CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/engagement",
                    _("Only severity B requests have an engagement.")));

  CHECK (p, esc_support_check_text (self->title, "/title", TRUE, ESC_SUPPORT_REQUEST_TITLE_MAX, &p->field, &p->error));
  CHECK (p, esc_support_check_text (self->description, "/description", TRUE, ESC_SUPPORT_REQUEST_TEXT_MAX,
                        &p->field, &p->error));
  CHECK (p, esc_support_check_text (self->category, "/category", TRUE, ESC_SUPPORT_REQUEST_SLUG_MAX, &p->field, &p->error));
  CHECK (p, esc_support_check_text (self->subcategory, "/subcategory", TRUE, ESC_SUPPORT_REQUEST_SLUG_MAX,
                        &p->field, &p->error));

  if (!esc_support_is_slug (self->category))
    CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/category",
                    _("“%s” must be lower-case words joined by hyphens, e.g. “configuration-policy”."),
                    "category"));
  if (!esc_support_is_slug (self->subcategory))
    CHECK (p, esc_support_fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/subcategory",
                    _("“%s” must be lower-case words joined by hyphens, e.g. “configuration-policy”."),
                    "subcategory"));

  if (!check_contact (self->contact, "/contact", p))
    return FALSE;

  CHECK (p, esc_support_check_text (self->business_impact, "/business_impact", FALSE, ESC_SUPPORT_REQUEST_IMPACT_MAX,
                        &p->field, &p->error));
  if (now != NULL)
    CHECK (p, esc_support_request_check_times (self, now, &p->field, &p->error));
  CHECK (p, esc_support_check_text (self->troubleshooting_steps, "/troubleshooting_steps", FALSE,
                        ESC_SUPPORT_REQUEST_TEXT_MAX, &p->field, &p->error));
  CHECK (p, esc_support_check_text (self->steps_to_reproduce, "/steps_to_reproduce", FALSE, ESC_SUPPORT_REQUEST_TEXT_MAX,
                        &p->field, &p->error));
  CHECK (p, esc_support_check_text (self->related_ticket, "/related_ticket", FALSE, 100, &p->field, &p->error));
  CHECK (p, esc_support_check_text (self->notes, "/notes", FALSE, ESC_SUPPORT_REQUEST_TEXT_MAX, &p->field, &p->error));
  CHECK (p, check_list ((const char * const *)self->devices, "/devices",
                        ESC_SUPPORT_REQUEST_DEVICES_MAX, 100, &p->field, &p->error));
  CHECK (p, check_list ((const char * const *)self->attachments, "/attachments",
                        ESC_SUPPORT_REQUEST_ATTACHMENTS_MAX, ESC_SUPPORT_REQUEST_ATTACHMENT_MAX,
                        &p->field, &p->error));

  return TRUE;
}

/**
 * esc_support_request_validate:
 * @self: a #EscSupportRequest
 * @filer: what the filer may do; %ESC_SUPPORT_FILER_ANY to leave it out
 * @out_field: (out) (optional) (transfer full): the JSON pointer of the field
 *   at fault, e.g. "/severity"
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * The filing rules: an admin request is filed by an IT administrator, an
 * escalation by someone with a live escalation designation; escalations
 * and change requests are severity C only; severity B, and only B, has an
 * engagement; the required fields are there, and nothing is too long.
 * The rules that need the time are in esc_support_request_check_times().
 *
 * Returns: %TRUE if @self may be filed
 */
gboolean
esc_support_request_validate (EscSupportRequest  *self,
                              EscSupportFiler     filer,
                              char              **out_field,
                              GError            **error)
{
  Problems p = { NULL, };

  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return problems_give (&p, check_request (self, filer, NULL, &p), out_field, error);
}

/**
 * esc_support_request_check_times:
 * @self: a #EscSupportRequest
 * @now: the time now, by the clock of whoever checks
 * @out_field: (out) (optional) (transfer full): the JSON pointer of the field at fault
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * The rules that need the time: the problem was not first noticed in the
 * future. The app's and the service's clocks may differ by up to
 * %ESC_SUPPORT_REQUEST_CLOCK_SKEW, so a time that close to @now passes
 * (a request queued with “now” is not refused by a service whose clock is
 * a little behind).
 *
 * Returns: %TRUE if the times are plausible
 */
gboolean
esc_support_request_check_times (EscSupportRequest  *self,
                                 GDateTime          *now,
                                 char              **out_field,
                                 GError            **error)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (self->first_noticed_at != NULL &&
      g_date_time_difference (self->first_noticed_at, now) > ESC_SUPPORT_REQUEST_CLOCK_SKEW)
    return esc_support_fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, "/first_noticed_at",
                 _("“%s” cannot be in the future."), "first_noticed_at");

  return TRUE;
}

/**
 * esc_support_request_validate_all:
 * @self: a #EscSupportRequest
 * @filer: what the filer may do; %ESC_SUPPORT_FILER_ANY to leave it out
 * @now: (nullable): the time now, for esc_support_request_check_times(); %NULL to leave those out
 *
 * The same rules as esc_support_request_validate() (and
 * esc_support_request_check_times() with @now), every problem at once: what
 * a form shows before filing. One problem per field, in the order of the
 * wire format.
 *
 * Returns: (transfer full) (element-type EscFieldError): the problems, none if @self may be filed
 */
GPtrArray *
esc_support_request_validate_all (EscSupportRequest *self,
                                  EscSupportFiler    filer,
                                  GDateTime         *now)
{
  Problems p = { NULL, };

  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);

  p.all = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_field_error_free);
  check_request (self, filer, now, &p);

  return g_steal_pointer (&p.all);
}

