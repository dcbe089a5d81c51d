// SPDX-License-Identifier: Apache-2.0
#include "app/launcher.h"
#include "credentials/keychainhelper.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    // The keychain helper is this executable without its GUI (no display connection).
    if (herald::client::KeychainHelper::isRequested(argc, argv))
        return herald::client::KeychainHelper::run(argc, argv);
    QApplication app(argc, argv);
    return herald::client::launch(app);
}
