// SPDX-License-Identifier: Apache-2.0
// One daemon per SQLite file: a second herald-syncd on the same file exits 1 and names the
// holder, while the command line keeps working next to the running daemon; a lock left by a
// daemon killed with SIGKILL does not keep the next one out.
//
// Mutation caught: Daemon::start without DatabaseLock::acquire (the second daemon starts and
// both hand out the same ids).
#include "syncdprocess.h"

#include <QProcess>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

class TestSingleOwner : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void secondDaemonOnTheSameFileExitsNamingTheHolder();
    void commandLineWorksNextToTheDaemon();
    void lockOfAKilledDaemonIsTakenOver();

private:
    SyncdProcess m_syncd;
};

void TestSingleOwner::initTestCase()
{
    if (qEnvironmentVariable("HERALD_TEST_BACKEND") == u"postgresql"_s)
        QFAIL("SQLite only: PostgreSQL databases are shared between nodes by design");
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
}

void TestSingleOwner::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

void TestSingleOwner::secondDaemonOnTheSameFileExitsNamingTheHolder()
{
    QProcess second;
    second.start(SyncdProcess::executable(), {u"--listen"_s, u"127.0.0.1:0"_s, u"--database"_s,
                                              m_syncd.databasePath(), u"--no-auth"_s});
    QVERIFY(second.waitForFinished(20000));
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 1);
    const QByteArray err = second.readAllStandardError();
    const QByteArray holder = "is in use by herald-syncd (pid " + QByteArray::number(m_syncd.pid());
    QVERIFY2(err.contains(holder), err.constData());
    QVERIFY2(!err.contains("listening on"), err.constData());
    QVERIFY(m_syncd.isRunning());
}

void TestSingleOwner::commandLineWorksNextToTheDaemon()
{
    const CliResult made =
        m_syncd.cli({u"user"_s, u"create"_s, u"--database"_s, m_syncd.databasePath(), u"erin"_s});
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QVERIFY(!m_syncd.createToken(u"admin"_s).isEmpty());
}

void TestSingleOwner::lockOfAKilledDaemonIsTakenOver()
{
    m_syncd.kill();
    QVERIFY(QFile::exists(m_syncd.databasePath() + u".lock"_s)); // left behind by SIGKILL
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
    QCOMPARE(m_syncd.terminate(), 0);
    QVERIFY(!QFile::exists(m_syncd.databasePath() + u".lock"_s)); // a clean stop removes it
}

QTEST_GUILESS_MAIN(TestSingleOwner)
#include "tst_singleowner.moc"
