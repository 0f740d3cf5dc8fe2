"""Drive the offices / mortgage inquiry through HTTP as MANUAL.md's chapter 2 tells a
citizen to, by labels."""

from __future__ import annotations

from tests.support.files import jpeg_with_gps, upload
from tests.support.pages import Page
from tests.support.transfer_driver import A, CitizenDriver

C = ("7-220-9-3-0-0-2", "1404-07-000890")
LETTER = {"شماره نامه": "۸۸۱۲/ب", "نام نهاد یا اداره استعلام کننده": "بانک ملت شعبه ونک",
          "تاریخ نامه": "۱۴۰۵/۰۹/۰۱"}


class InquiryDriver(CitizenDriver):
    def open_inquiry(self):
        services = Page.of(self.client.get("/services/"))
        return self.client.get(services.link("استعلام ادارات/ ترهین"))

    def until_records(self, code=A):
        r = self.step(self.open_inquiry(), "گام بعدی", {"تمامی موارد فوق مورد تأیید است": True})
        r = self.step(r, "استعلام", {"کدنوسازی": code[0], "شماره درخواست": code[1]}, expect=(200,))
        assert Page.of(r).has("شماره درخواست معتبر می باشد"), Page.of(r).text[:600]
        return self.step(r, "گام بعدی")

    def until_fees(self, code=A):
        r = self.step(self.until_records(code), "گام بعدی")
        r = self.step(r, "تایید و ارسال", LETTER,
                      files={"kind_0": "inquiry_letter", "file_0": upload("letter.jpg", jpeg_with_gps())},
                      expect=(200,))
        return self.step(r, "گام بعدی")
