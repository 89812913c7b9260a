# Sourced by the scripts next to it, from the repository's root: a Wine prefix of our own under
# target/, made once (a first Wine start creates it, which takes a while and prints), with the
# stand-in bcryptprimitives.dll that Debian 12's Wine 8.0 lacks (see bcryptprimitives.c), and
# one wineserver kept for every program started after it. Left to itself, the wineserver exits
# a moment after each program ends, and a program started just then can lose its connection
# ("wine client error: recvmsg: Connection reset by peer") and fail without having run.
export WINEPREFIX=$PWD/target/wine-prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "-- creating the Wine prefix $WINEPREFIX"
  wineboot --init >/dev/null 2>&1 || true
  wineserver --wait || true
fi
dll=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
if [ ! -f "$dll" ] || [ scripts/windows/bcryptprimitives.c -nt "$dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dll" scripts/windows/bcryptprimitives.c \
    scripts/windows/bcryptprimitives.def -ladvapi32
fi
wineserver -p 2>/dev/null || true  # (fails when one is already running: that one serves)
# Wine's own services start with the first program and live as long as the server: started by a
# program whose output is a pipe, they would hold that pipe open, and a `$(wine ...)` would wait
# for its end for ever. Start them here, with no pipe of ours.
wine cmd.exe /c exit </dev/null >/dev/null 2>&1 || true
