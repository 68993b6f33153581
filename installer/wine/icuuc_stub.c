/* icuuc.dll for Wine 8.0, which has none (Windows 10 1903+ ships ICU as icuuc.dll).
 *
 * Qt6Core.dll imports these 20 ucnv_* functions for QStringConverter's optional
 * ICU codecs (Big5, GB18030, Shift-JIS…). This stub says no converter exists, the
 * answer Qt gets on a Windows without ICU: Qt then uses only its built-in UTF-8,
 * UTF-16, UTF-32 and Latin-1 codecs, which is all this program uses.
 *
 * Built by installer/wine_smoke.sh into the Wine prefix's system32, never into
 * the bundle: a real Windows uses its own icuuc.dll.
 */
#include <stddef.h>
#include <stdint.h>

typedef int32_t UErrorCode; /* <= 0 is success, > 0 an error */
typedef uint16_t UChar;
typedef int32_t UChar32;
typedef int8_t UBool;
typedef struct UConverter UConverter;
typedef void *UConverterToUCallback;
typedef void *UConverterFromUCallback;

enum { U_ILLEGAL_ARGUMENT_ERROR = 1, U_FILE_ACCESS_ERROR = 4, U_UNSUPPORTED_ERROR = 16 };

#define EXPORT __declspec(dllexport)

static void fail(UErrorCode *err, UErrorCode code) {
    if (err != NULL && *err <= 0)
        *err = code;
}

EXPORT UConverter *ucnv_open(const char *name, UErrorCode *err) {
    (void)name;
    fail(err, U_FILE_ACCESS_ERROR); /* what ICU says for a converter it has no data for */
    return NULL;
}

EXPORT int32_t ucnv_countAvailable(void) { return 0; }

EXPORT const char *ucnv_getAvailableName(int32_t n) {
    (void)n;
    return NULL;
}

EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err) {
    (void)name;
    (void)standard;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
    return NULL;
}

/* The rest take a converter ucnv_open never returned: nothing to do. */
EXPORT void ucnv_close(UConverter *converter) { (void)converter; }

EXPORT void ucnv_reset(UConverter *converter) { (void)converter; }

EXPORT int8_t ucnv_getMaxCharSize(const UConverter *converter) {
    (void)converter;
    return 1;
}

EXPORT const char *ucnv_getName(const UConverter *converter, UErrorCode *err) {
    (void)converter;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
    return NULL;
}

EXPORT void ucnv_getToUCallBack(const UConverter *converter, UConverterToUCallback *action, const void **context) {
    (void)converter;
    if (action != NULL)
        *action = NULL;
    if (context != NULL)
        *context = NULL;
}

EXPORT void ucnv_getFromUCallBack(const UConverter *converter, UConverterFromUCallback *action,
                                  const void **context) {
    (void)converter;
    if (action != NULL)
        *action = NULL;
    if (context != NULL)
        *context = NULL;
}

EXPORT void ucnv_setToUCallBack(UConverter *converter, UConverterToUCallback action, const void *context,
                                UConverterToUCallback *old_action, const void **old_context, UErrorCode *err) {
    (void)converter;
    (void)action;
    (void)context;
    (void)old_action;
    (void)old_context;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT void ucnv_setFromUCallBack(UConverter *converter, UConverterFromUCallback action, const void *context,
                                  UConverterFromUCallback *old_action, const void **old_context, UErrorCode *err) {
    (void)converter;
    (void)action;
    (void)context;
    (void)old_action;
    (void)old_context;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT void ucnv_toUnicode(UConverter *converter, UChar **target, const UChar *target_limit, const char **source,
                           const char *source_limit, int32_t *offsets, UBool flush, UErrorCode *err) {
    (void)converter;
    (void)target;
    (void)target_limit;
    (void)source;
    (void)source_limit;
    (void)offsets;
    (void)flush;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT void ucnv_fromUnicode(UConverter *converter, char **target, const char *target_limit, const UChar **source,
                             const UChar *source_limit, int32_t *offsets, UBool flush, UErrorCode *err) {
    (void)converter;
    (void)target;
    (void)target_limit;
    (void)source;
    (void)source_limit;
    (void)offsets;
    (void)flush;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT int32_t ucnv_toUCountPending(const UConverter *converter, UErrorCode *err) {
    (void)converter;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
    return 0;
}

EXPORT int32_t ucnv_fromUCountPending(const UConverter *converter, UErrorCode *err) {
    (void)converter;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
    return 0;
}

EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *source, int32_t length, int32_t offset_index,
                                  UErrorCode *err) {
    (void)args;
    (void)source;
    (void)length;
    (void)offset_index;
    fail(err, U_UNSUPPORTED_ERROR);
}

EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **source, const UChar *source_limit,
                                    int32_t offset_index, UErrorCode *err) {
    (void)args;
    (void)source;
    (void)source_limit;
    (void)offset_index;
    fail(err, U_UNSUPPORTED_ERROR);
}

EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const char *code_units, int32_t length,
                                          int reason, UErrorCode *err) {
    (void)context;
    (void)args;
    (void)code_units;
    (void)length;
    (void)reason;
    fail(err, U_UNSUPPORTED_ERROR);
}

EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const UChar *code_units, int32_t length,
                                            UChar32 code_point, int reason, UErrorCode *err) {
    (void)context;
    (void)args;
    (void)code_units;
    (void)length;
    (void)code_point;
    (void)reason;
    fail(err, U_UNSUPPORTED_ERROR);
}
