// SPDX-License-Identifier: Apache-2.0
#include "config/configloader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace herald::syncd;

namespace {
QStringList words(const char *text)
{
    return QString::fromLatin1(text).split(u' ', Qt::SkipEmptyParts);
}
} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void defaultsMatchTheProtocol()
    {
        auto config = ConfigLoader::load({}, QProcessEnvironment());
        QVERIFY(config);
        QCOMPARE(config->listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config->listenPort, quint16(8080));
        QCOMPARE(config->nodeId, 0);
        QCOMPARE(config->noAuth, false);
        QCOMPARE(config->synchronous, QStringLiteral("FULL"));
        QCOMPARE(config->limits.maxBodyBytes, 64 * 1024);
        QVERIFY(config->database.endsWith(QStringLiteral("herald/herald.db")));
    }

    void laterSourcesWin()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("h.ini"));
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[server]\nlisten=127.0.0.1:7000\nnodeId=3\ndatabase=/tmp/ini.db\n"
                   "[timeouts]\nregisterMs=2000\n");
        file.close();
        QProcessEnvironment env;
        env.insert(QStringLiteral("HERALD_NODE_ID"), QStringLiteral("5"));
        env.insert(QStringLiteral("HERALD_DATABASE"), QStringLiteral("/tmp/env.db"));
        auto config = ConfigLoader::load(
            {QStringLiteral("--config"), ini, QStringLiteral("--node-id"), QStringLiteral("7")},
            env);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->listenPort, quint16(7000));               // INI only
        QCOMPARE(config->database, QStringLiteral("/tmp/env.db")); // env beats INI
        QCOMPARE(config->nodeId, 7);                               // flag beats env
        QCOMPARE(config->registerTimeoutMs, 2000);
    }

    void noAuthFlag()
    {
        auto config = ConfigLoader::load({QStringLiteral("--no-auth")}, QProcessEnvironment());
        QVERIFY(config);
        QVERIFY(config->noAuth);
    }

    void rejectsBadValues_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("node id too big") << words("--node-id 64") << QStringLiteral("--node-id");
        QTest::newRow("node id not a number")
            << words("--node-id x") << QStringLiteral("--node-id");
        QTest::newRow("listen without port")
            << words("--listen 127.0.0.1") << QStringLiteral("--listen");
        QTest::newRow("listen bad host")
            << words("--listen nohost:80") << QStringLiteral("--listen");
        QTest::newRow("listen bad port")
            << words("--listen 127.0.0.1:70000") << QStringLiteral("--listen");
        QTest::newRow("unknown flag") << words("--frobnicate") << QStringLiteral("frobnicate");
        QTest::newRow("stray argument") << words("extra") << QStringLiteral("extra");
        QTest::newRow("synchronous")
            << words("--synchronous OFF") << QStringLiteral("--synchronous");
        QTest::newRow("missing config file")
            << words("--config /nonexistent/h.ini") << QStringLiteral("/nonexistent/h.ini");
        QTest::newRow("peer not a URL") << words("--peer nonsense") << QStringLiteral("--peer");
        QTest::newRow("peer without the cluster secret")
            << words("--peer ws://127.0.0.1:9000") << QStringLiteral("--cluster-secret");
        QTest::newRow("peer timeout too short")
            << words("--peer-timeout-ms 10") << QStringLiteral("--peer-timeout-ms");
        QTest::newRow("trusted proxy not an address")
            << words("--trusted-proxies 10.0.0.1,proxy.local")
            << QStringLiteral("'proxy.local' is not an IP address");
        QTest::newRow("trusted subnet too wide")
            << words("--trusted-proxies 10.0.0.0/33") << QStringLiteral("--trusted-proxies");
        QTest::newRow("negative rate")
            << words("--token-rate -1") << QStringLiteral("--token-rate");
        QTest::newRow("burst of nothing")
            << words("--address-burst 0") << QStringLiteral("--address-burst");
    }

    void readsAClusterFromTheIniFile()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("cluster.ini"));
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[server]\nnodeId=2\n[cluster]\nname=prod\nsecret=s3cret\n"
                   "peers=ws://10.0.0.1:8080, ws://10.0.0.3:8080\npeerTimeoutMs=5000\n");
        file.close();
        auto config = ConfigLoader::load({QStringLiteral("--config"), ini}, QProcessEnvironment());
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->nodeId, 2);
        QCOMPARE(config->clusterName, QStringLiteral("prod"));
        QCOMPARE(config->clusterSecret, QStringLiteral("s3cret"));
        QCOMPARE(config->peers.size(), 2);
        QCOMPARE(config->peerTimeoutMs, 5000);
    }

    void clusterSecretComesFromAFileOrASystemdCredential()
    {
        QTemporaryDir dir;
        const auto write = [&dir](const char *name, const QByteArray &text) {
            QFile file(dir.filePath(QString::fromLatin1(name)));
            if (file.open(QIODevice::WriteOnly))
                file.write(text);
            return file.fileName();
        };
        const QString secretFile = write("secret", "  from-a-file \nsecond line ignored\n");
        auto fromFile = ConfigLoader::load({QStringLiteral("--cluster-secret-file"), secretFile},
                                           QProcessEnvironment());
        QVERIFY2(fromFile, qPrintable(fromFile ? QString() : fromFile.error().message));
        QCOMPARE(fromFile->clusterSecret, QStringLiteral("from-a-file"));
        QVERIFY(fromFile->warnings.isEmpty());

        QProcessEnvironment systemd;
        write("cluster-secret", "from-systemd\n");
        systemd.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), dir.path());
        auto fromCredential = ConfigLoader::load({}, systemd);
        QVERIFY(fromCredential);
        QCOMPARE(fromCredential->clusterSecret, QStringLiteral("from-systemd"));
        // An explicit setting wins over the credential.
        systemd.insert(QStringLiteral("HERALD_CLUSTER_SECRET_FILE"), secretFile);
        QCOMPARE(ConfigLoader::load({}, systemd)->clusterSecret, QStringLiteral("from-a-file"));

        // On the command line it still works, with a warning that never repeats the secret.
        auto onCommandLine = ConfigLoader::load(
            {QStringLiteral("--cluster-secret"), QStringLiteral("visible-to-ps")},
            QProcessEnvironment());
        QVERIFY(onCommandLine);
        QCOMPARE(onCommandLine->warnings.size(), 1);
        QVERIFY(onCommandLine->warnings.first().contains(QStringLiteral("--cluster-secret-file")));
        QVERIFY(!onCommandLine->warnings.first().contains(QStringLiteral("visible-to-ps")));

        auto empty = ConfigLoader::load(
            {QStringLiteral("--cluster-secret-file"), write("empty", "\n")}, QProcessEnvironment());
        QVERIFY(!empty);
        QVERIFY2(empty.error().message.startsWith(QStringLiteral("--cluster-secret-file: '")),
                 qPrintable(empty.error().message));
        auto missing = ConfigLoader::load(
            {QStringLiteral("--cluster-secret-file"), dir.filePath(QStringLiteral("nope"))},
            QProcessEnvironment());
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(QStringLiteral("cannot read")));
    }

    void limitsDefaultHighAndComeFromEverySource()
    {
        auto defaults = ConfigLoader::load({}, QProcessEnvironment());
        QVERIFY(defaults);
        QCOMPARE(defaults->traffic.httpConnections, 0); // from the descriptor budget
        QCOMPARE(defaults->traffic.connectionsPerAddress, 256);
        QCOMPARE(defaults->traffic.tokenRate, 2000);
        QCOMPARE(defaults->traffic.authFailures, 20);
        QVERIFY(defaults->traffic.trustedProxies.isEmpty());

        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("limits.ini"));
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[limits]\ntrustedProxies=127.0.0.1, 10.0.0.0/8 ::1\nhttpConnections=300\n"
                   "authFailures=5\n");
        file.close();
        QProcessEnvironment env;
        env.insert(QStringLiteral("HERALD_AUTH_FAILURES"), QStringLiteral("7"));
        auto config = ConfigLoader::load(
            {QStringLiteral("--config"), ini, QStringLiteral("--token-rate"), QStringLiteral("0")},
            env);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        const auto &proxies = config->traffic.trustedProxies;
        QCOMPARE(proxies.size(), 3);
        QCOMPARE(proxies[0], qMakePair(QHostAddress(QStringLiteral("127.0.0.1")), 32));
        QCOMPARE(proxies[1], qMakePair(QHostAddress(QStringLiteral("10.0.0.0")), 8));
        QCOMPARE(proxies[2], qMakePair(QHostAddress(QStringLiteral("::1")), 128));
        QCOMPARE(config->traffic.httpConnections, 300);
        QCOMPARE(config->traffic.authFailures, 7); // env beats INI
        QCOMPARE(config->traffic.tokenRate, 0);    // off
    }

    void rejectsBadValues()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        auto config = ConfigLoader::load(arguments, QProcessEnvironment());
        QVERIFY(!config);
        QVERIFY2(config.error().message.contains(mentions), qPrintable(config.error().message));
    }

    void rejectsBadEnvironmentNamingTheVariable()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HERALD_MAX_CONNECTIONS"), QStringLiteral("-1"));
        auto config = ConfigLoader::load({}, env);
        QVERIFY(!config);
        QVERIFY(config.error().message.startsWith(QStringLiteral("HERALD_MAX_CONNECTIONS")));
    }

    void rejectsBadIniNamingFileAndKey()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("h.ini"));
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[server]\nnodeId=99\n");
        file.close();
        auto config = ConfigLoader::load({QStringLiteral("--config"), ini}, QProcessEnvironment());
        QVERIFY(!config);
        QVERIFY2(config.error().message.contains(QStringLiteral("[server] nodeId")),
                 qPrintable(config.error().message));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
