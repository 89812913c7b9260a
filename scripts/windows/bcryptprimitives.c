/*
 * A stand-in for Windows' bcryptprimitives.dll, for running the Windows build under Wine.
 *
 * Rust's standard library (since 1.78) takes its random bytes from ProcessPrng in
 * bcryptprimitives.dll, which Windows 10 and later ship and Wine 8.0 (Debian 12) does not:
 * without it the program cannot start. This forwards ProcessPrng to RtlGenRandom
 * (SystemFunction036 in advapi32), which Wine has. For CI only; never shipped.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c \
 *       bcryptprimitives.def -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* BOOL ProcessPrng(PBYTE pbData, SIZE_T cbData): always succeeds on Windows. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        /* RtlGenRandom takes a ULONG length: large requests go in pieces. */
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
