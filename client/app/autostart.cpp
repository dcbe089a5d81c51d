// SPDX-License-Identifier: Apache-2.0
#include "autostart.h"

#include "app/applog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
#ifdef Q_OS_WIN
const QString RunKey = u"HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"_s;
#endif

// Desktop entry values escape backslashes, and Exec quotes arguments with spaces.
QString execValue(const QString &command)
{
    QString quoted = command;
    quoted.replace(u'\\', u"\\\\"_s);
    if (quoted.contains(u' ') || quoted.contains(u'"')) {
        quoted.replace(u'"', u"\\\""_s);
        quoted = u'"' + quoted + u'"';
    }
    return quoted;
}
} // namespace

Autostart::Autostart(QString command) : m_command(std::move(command)) {}

QString Autostart::desktopFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           u"/autostart/herald.desktop"_s;
}

bool Autostart::isEnabled() const
{
#ifdef Q_OS_WIN
    QSettings run(RunKey, QSettings::NativeFormat);
    return run.contains(u"Herald"_s);
#else
    return QFileInfo::exists(desktopFilePath());
#endif
}

bool Autostart::setEnabled(bool enabled)
{
#ifdef Q_OS_WIN
    QSettings run(RunKey, QSettings::NativeFormat);
    if (enabled)
        run.setValue(u"Herald"_s, u'"' + QDir::toNativeSeparators(m_command) + u'"');
    else
        run.remove(u"Herald"_s);
    run.sync();
    return run.status() == QSettings::NoError;
#else
    const QString path = desktopFilePath();
    if (!enabled) {
        if (!QFileInfo::exists(path))
            return true;
        const bool removed = QFile::remove(path);
        qCInfo(lcApp) << "autostart file removed:" << removed;
        return removed;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    const QString entry = u"[Desktop Entry]\n"
                          u"Type=Application\n"
                          u"Name=Herald\n"
                          u"Comment=Notifications from your servers\n"
                          u"Exec="_s +
                          execValue(m_command) +
                          u"\n"
                          u"Icon=org.herald.Herald\n"
                          u"Terminal=false\n"
                          u"X-GNOME-Autostart-enabled=true\n"_s;
    file.write(entry.toUtf8());
    const bool ok = file.commit();
    qCInfo(lcApp) << "autostart file written:" << ok;
    return ok;
#endif
}

} // namespace herald::client
