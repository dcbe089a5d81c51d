// SPDX-License-Identifier: Apache-2.0
// The malloc herald-syncd runs on (app/memoryallocator.h): in a build that found mimalloc the
// running daemon has it mapped, says so in its log, and its malloc() is mimalloc's, not only
// linked beside the C library's; in any other build the log names the C library's.
#include "syncdprocess.h"

#include <QFile>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

class TestMemoryAllocator : public QObject
{
    Q_OBJECT

private slots:
    void theDaemonRunsOnTheAllocatorItWasBuiltWith()
    {
        SyncdProcess daemon;
        QVERIFY(daemon.start({u"--no-auth"_s}));
        QFile maps(u"/proc/%1/maps"_s.arg(daemon.pid()));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        const bool mapped = maps.readAll().contains("/libmimalloc.so");
        const QByteArray log = daemon.log();
#ifdef HERALD_EXPECT_MIMALLOC
        QVERIFY2(mapped, log.constData());
        QVERIFY2(log.contains("memory allocator: mimalloc 2."), log.constData());
        QVERIFY2(!log.contains("malloc() is still the C library's"), log.constData());
#else
        QVERIFY2(!mapped, log.constData());
        QVERIFY2(log.contains("memory allocator: the C library's malloc"), log.constData());
#endif
    }
};

QTEST_GUILESS_MAIN(TestMemoryAllocator)
#include "tst_memoryallocator.moc"
