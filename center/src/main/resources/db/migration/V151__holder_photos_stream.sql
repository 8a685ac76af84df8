-- The holder's photo at the window (issue 17): the "photos" downstream stream carries each
-- approved card photo as a thumbnail to every terminal (docs/paycode.md, "The holder's photo").
INSERT INTO stream_versions(stream, version) VALUES ('photos', 0);
