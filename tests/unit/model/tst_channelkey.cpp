// SPDX-License-Identifier: Apache-2.0
#include "model/notification.h"

#include <QTest>

using namespace herald;
using namespace Qt::StringLiterals;

class TestChannelKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joinsApplicationAndChannelWithASlash();
};

void TestChannelKey::joinsApplicationAndChannelWithASlash()
{
    QCOMPARE(channelKey(u"backup"_s, u"nightly"_s), u"backup/nightly"_s);
    QCOMPARE(channelKey(u"backup"_s, QString()), u"backup/"_s);
}

QTEST_GUILESS_MAIN(TestChannelKey)
#include "tst_channelkey.moc"
