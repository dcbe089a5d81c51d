// SPDX-License-Identifier: Apache-2.0
#include "app/syncdmain.h"

int main(int argc, char *argv[])
{
    return herald::syncd::syncdMain(argc, argv);
}
