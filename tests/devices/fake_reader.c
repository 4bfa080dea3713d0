/* A stand-in for the vendors' reader libraries (sdtapi-style SDT_* and termb-style CVR_*),
 * built by tests/devices/test_vendor.py with gcc into a temporary folder and loaded through
 * caseworker.devices.vendor with ctypes. The card data is synthetic and handed in by the test
 * (fake_put_text for the raw 256-byte block, fake_put_field for termb's GBK fields). */
#include <string.h>

static unsigned char text_block[256];
static int card_present = 0;
static int read_fails = 0;
static int port_open = 0;
static char fields[9][128];
static unsigned char latest[70];
static int latest_size = 0;

void fake_put_text(const unsigned char *block) { memcpy(text_block, block, 256); }
void fake_put_field(int index, const char *gbk) {
    strncpy(fields[index], gbk, sizeof fields[index] - 1);
}
void fake_put_latest(const unsigned char *address, int size) {
    latest_size = size > 70 ? 70 : size;
    memcpy(latest, address, latest_size);
}
void fake_set_card(int present) { card_present = present; }
void fake_set_read_fails(int fails) { read_fails = fails; }
int fake_port_open(void) { return port_open; }

/* ---- sdtapi ---- */
int SDT_OpenPort(int port) {
    if (port != 1001) return 0x01;
    port_open = 1;
    return 0x90;
}
int SDT_ClosePort(int port) { (void)port; port_open = 0; return 0x90; }
int SDT_GetSAMStatus(int port, int if_open) { (void)if_open; return port == 1001 ? 0x90 : 0x01; }
int SDT_GetSAMIDToStr(int port, char *id, int if_open) {
    (void)port; (void)if_open;
    strcpy(id, "05.01-20261201-0000000001-0042");
    return 0x90;
}
int SDT_StartFindIDCard(int port, unsigned char *mana, int if_open) {
    (void)port; (void)mana; (void)if_open;
    return card_present ? 0x9F : 0x80;
}
int SDT_SelectIDCard(int port, unsigned char *mana, int if_open) {
    (void)port; (void)mana; (void)if_open;
    return card_present ? 0x90 : 0x81;
}
int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_size,
                    unsigned char *photo, unsigned int *photo_size, int if_open) {
    (void)port; (void)if_open;
    if (!card_present) return 0x80;
    if (read_fails) return 0x41;
    memcpy(text, text_block, 256);
    *text_size = 256;
    memset(photo, 0, 1024);
    *photo_size = 1024;
    return 0x90;
}
int SDT_ReadNewAppMsg(int port, unsigned char *app, unsigned int *size, int if_open) {
    (void)port; (void)if_open;
    if (latest_size == 0) return 0x91;
    memcpy(app, latest, latest_size);
    *size = latest_size;
    return 0x90;
}

/* ---- termb ---- */
int CVR_InitComm(int port) {
    if (port != 1001) return 2;
    port_open = 1;
    return 1;
}
int CVR_CloseComm(void) { port_open = 0; return 1; }
int CVR_Authenticate(void) { return card_present ? 1 : 2; }
int CVR_Read_Content(int active) { (void)active; return read_fails ? 0 : (card_present ? 1 : 0); }

static int get(int index, char *out, int *size) {
    if (!card_present) return 0;
    int n = (int)strlen(fields[index]);
    memcpy(out, fields[index], n + 1);
    *size = n;
    return 1;
}
int GetPeopleName(char *out, int *size) { return get(0, out, size); }
int GetPeopleSex(char *out, int *size) { return get(1, out, size); }
int GetPeopleNation(char *out, int *size) { return get(2, out, size); }
int GetPeopleBirthday(char *out, int *size) { return get(3, out, size); }
int GetPeopleAddress(char *out, int *size) { return get(4, out, size); }
int GetPeopleIDCode(char *out, int *size) { return get(5, out, size); }
int GetDepartment(char *out, int *size) { return get(6, out, size); }
int GetStartDate(char *out, int *size) { return get(7, out, size); }
int GetEndDate(char *out, int *size) { return get(8, out, size); }
