// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "protocol/error.h"

#include <QList>
#include <QString>

#include <functional>

// What ConfigLoader's tables of settings are made of, shared by the files that hold them.
namespace herald::syncd::settingtable {

using Apply = std::function<Result<void>(Config &, const QString &)>;

// One setting: where it is found in each source, and how it is applied.
struct Setting
{
    QString iniKey; // "section/key"
    QString envVar;
    QString flag; // long option name without dashes
    QString valueName;
    QString help;
    Apply apply;
};

Result<void> invalid(const QString &what);
Result<int> toInt(const QString &value, int min, int max);
Result<bool> toBool(const QString &value);
Apply intSetting(int Config::*field, int min, int max);
Apply boolSetting(bool Config::*field);

// [endpoints] (endpointsettings.cpp).
QList<Setting> endpointSettings();
// [smtp] (smtpsettings.cpp).
QList<Setting> smtpSettings();

} // namespace herald::syncd::settingtable
