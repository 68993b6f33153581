/* bcryptprimitives.dll for Wine 8.0, which has none.
 *
 * cryptography's Rust extension (its `getrandom`) imports ProcessPrng, the
 * system's random generator since Windows 10. This one fills the buffer from
 * RtlGenRandom (advapi32's SystemFunction036), which Wine implements with the
 * host's /dev/urandom. Like ProcessPrng it always succeeds or never returns.
 *
 * Built by installer/wine_smoke.sh into the Wine prefix's system32, never into
 * the bundle: a real Windows uses its own bcryptprimitives.dll.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            RaiseException(STATUS_NO_MEMORY, EXCEPTION_NONCONTINUABLE, 0, NULL);
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
