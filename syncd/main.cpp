#include "app/syncdmain.h"

int main(int argc, char *argv[])
{
    return herald::syncd::syncdMain(argc, argv);
}
