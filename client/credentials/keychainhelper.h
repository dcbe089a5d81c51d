// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "credentials/tokenstore.h"

#include <QByteArray>
#include <QStringList>

namespace herald::client {

// `herald --keychain-helper read|write|remove ACCOUNT`: one keychain operation through
// QtKeychain in a short-lived process of its own, for KeychainProcessStore. On Linux QtKeychain
// loads libsecret, and with it GLib's D-Bus stack and libgcrypt's cipher code; in the tray those
// pages stayed resident all day, with GDBus's two threads, for a token read once at start. In the
// helper they go away with the process.
//
// The wire between the two, both ways through pipes (never argv, which `ps` shows): a token to
// write comes on stdin; the reply is two lines on stdout, the status ("ok", "not-found",
// "no-keychain", "failed") and then the token (a read that is ok) or the message, both
// percent-encoded so that neither can break a line.
namespace KeychainHelper {

// The option that selects the helper; main() checks it before any QApplication exists.
inline constexpr char Option[] = "--keychain-helper";

// Whether argv asks for the helper (argv[1] is Option).
bool isRequested(int argc, char **argv);

// Runs the helper: a QCoreApplication, one operation, the reply on stdout. Exit code 0 when a
// reply was written (whatever its status), 2 for bad arguments.
int run(int argc, char **argv);

// The reply's two lines.
QByteArray encode(const TokenStore::Result &result);
// A reply back into a Result; anything that is not a whole reply is Failed.
TokenStore::Result decode(const QByteArray &reply);

} // namespace KeychainHelper

} // namespace herald::client
