// SPDX-License-Identifier: Apache-2.0
#include "settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace herald::client {

SettingsDialog::SettingsDialog(const Values &values, QWidget *parent)
    : QDialog(parent), m_values(values), m_table(new QTableWidget(this)),
      m_threshold(new QSpinBox(this)),
      m_autostart(new QCheckBox(tr("Start Herald when I log in"), this))
{
    setWindowTitle(tr("Herald settings"));
    setWindowIcon(QIcon(u":/icons/herald.svg"_s));

    auto *connection = new QHBoxLayout;
    connection->addWidget(new QLabel(values.connection, this), 1);
    auto *change = new QPushButton(tr("Change server…"), this);
    connection->addWidget(change);
    connect(change, &QPushButton::clicked, this, [this] {
        reject();
        Q_EMIT changeServerRequested();
    });

    m_table->setColumnCount(2);
    m_table->setHorizontalHeaderLabels({tr("Channel"), tr("Delivery")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setRowCount(int(values.channels.size()));
    for (int row = 0; row < values.channels.size(); ++row) {
        const QString channel = values.channels.at(row);
        auto *name = new QTableWidgetItem(channel);
        name->setFlags(Qt::ItemIsEnabled);
        m_table->setItem(row, 0, name);
        auto *combo = new QComboBox(m_table);
        combo->addItem(tr("Popup"), deliveryName(Delivery::Popup));
        combo->addItem(tr("List only"), deliveryName(Delivery::ListOnly));
        combo->addItem(tr("Off"), deliveryName(Delivery::Off));
        const qsizetype slash = channel.indexOf(u'/');
        const Delivery current =
            values.preferences.delivery(channel.left(slash), channel.mid(slash + 1));
        combo->setCurrentIndex(combo->findData(deliveryName(current)));
        m_table->setCellWidget(row, 1, combo);
    }

    m_threshold->setRange(1, 100);
    m_threshold->setValue(values.summaryThreshold);
    m_autostart->setChecked(values.autostart);

    auto *form = new QFormLayout;
    form->addRow(tr("Connection:"), connection);
    form->addRow(tr("Summarize after an absence when a channel has more than"), m_threshold);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("How each channel reaches you:"), this));
    layout->addWidget(m_table, 1);
    layout->addWidget(m_autostart);
    layout->addWidget(buttons);
    resize(520, 420);
}

SettingsDialog::Values SettingsDialog::values() const
{
    Values v = m_values;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const auto *combo = qobject_cast<QComboBox *>(m_table->cellWidget(row, 1));
        const auto delivery = deliveryFromName(combo->currentData().toString());
        v.preferences.setDelivery(m_table->item(row, 0)->text(),
                                  delivery.value_or(Delivery::Popup));
    }
    v.summaryThreshold = m_threshold->value();
    v.autostart = m_autostart->isChecked();
    return v;
}

} // namespace herald::client
