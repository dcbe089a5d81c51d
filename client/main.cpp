// SPDX-License-Identifier: Apache-2.0
#include "app/launcher.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    if (herald::client::helperRequested(argc, argv))
        return herald::client::runHelper(argc, argv);
    QApplication app(argc, argv);
    return herald::client::launch(app);
}
