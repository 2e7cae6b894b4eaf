-- wrk script: single-query POST /match/default (a Person with a birth date and a country).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"queries":{"q":{"schema":"Person","properties":{"name":["Vladimir Putin"],"birthDate":["1952-10-07"],"country":["Russia"]}}}}'
