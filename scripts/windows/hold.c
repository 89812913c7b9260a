/*
 * Holds a file open as Excel holds a workbook (others may read it, not write, rename or
 * delete it) until a flag file is deleted: for the Windows-only checks of compare.sh, under
 * Wine. Usage: hold.exe FILE FLAG (FLAG is created once FILE is held).
 */
#include <windows.h>

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    HANDLE held = CreateFileA(argv[1], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
                              OPEN_EXISTING, 0, NULL);
    if (held == INVALID_HANDLE_VALUE)
        return 1;
    HANDLE flag = CreateFileA(argv[2], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(flag);
    /* At most a minute, so that a check that died cannot leave it running. */
    for (int i = 0; i < 1200 && GetFileAttributesA(argv[2]) != INVALID_FILE_ATTRIBUTES; i++)
        Sleep(50);
    CloseHandle(held);
    return 0;
}
