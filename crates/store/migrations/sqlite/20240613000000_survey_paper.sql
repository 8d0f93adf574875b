-- Phiếu khảo sát giấy: answers the standing office entered from paper questionnaires, dated
-- the day they were answered; `entered_by` is the account that entered them (NULL for an
-- answer given online through the public form).
ALTER TABLE survey_answers ADD COLUMN entered_by TEXT;
