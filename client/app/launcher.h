// SPDX-License-Identifier: Apache-2.0
#pragma once

class QApplication;

namespace herald::client {

// The whole `herald` program around the composition root (Application): application metadata
// and translations, the command line, and --show/--quit/--status handed to a running instance;
// then the single-instance server, Application and the event loop. Returns the exit code (2 for
// bad arguments, 1 when --quit/--status find no running instance, or a setup is given while one
// runs).
int launch(QApplication &app);

// Whether argv asks for a helper process instead of the tray (`--keychain-helper`, see
// credentials/keychainhelper.h), and running it. A helper runs before any QApplication exists:
// it needs no display connection.
bool helperRequested(int argc, char **argv);
int runHelper(int argc, char **argv);

} // namespace herald::client
