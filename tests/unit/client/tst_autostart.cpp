// SPDX-License-Identifier: Apache-2.0
#include "app/autostart.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;

class TestAutostart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesAndRemovesTheXdgAutostartFile()
    {
        QTemporaryDir config;
        qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
        QCOMPARE(Autostart::desktopFilePath(), config.filePath(u"autostart/herald.desktop"_s));
        Autostart autostart(u"/opt/my apps/herald"_s);
        QVERIFY(!autostart.isEnabled());
        QVERIFY(autostart.setEnabled(true));
        QVERIFY(autostart.isEnabled());
        QFile file(Autostart::desktopFilePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString entry = QString::fromUtf8(file.readAll());
        QVERIFY(entry.startsWith(u"[Desktop Entry]\n"_s));
        QVERIFY(entry.contains(u"\nExec=\"/opt/my apps/herald\"\n"_s));
        QVERIFY(entry.contains(u"\nType=Application\n"_s));
        QVERIFY(autostart.setEnabled(false));
        QVERIFY(!autostart.isEnabled());
        QVERIFY(autostart.setEnabled(false)); // already off
    }
};

QTEST_MAIN(TestAutostart)
#include "tst_autostart.moc"
