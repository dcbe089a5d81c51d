// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

namespace herald::client {

// What `herald` was asked to do on its command line.
struct CommandLine
{
    enum class Action
    {
        Run,      // start (or, when running, raise the list window)
        Show,     // --show: raise the list window of the running instance (start one if none)
        Settings, // --settings: open the settings of the running instance (start one if none)
        Quit,     // --quit: ask the running instance to exit
        Status,   // --status: print the running instance's state as JSON (tests, scripts)
    };

    Action action = Action::Run;
    // Non-interactive setup: --server URL --user U --subscribe APP/CHANNEL... --token-stdin
    QString server;
    QString user;
    QStringList subscriptions;
    bool tokenFromStdin = false;
    QString error; // set when the arguments make no sense; exit code 2 then

    bool hasSetup() const
    {
        return !server.isEmpty() || !user.isEmpty() || !subscriptions.isEmpty();
    }

    // args includes the program name, as QCoreApplication::arguments() has it. --help and
    // --version print and exit.
    static CommandLine parse(const QStringList &args);
};

} // namespace herald::client
