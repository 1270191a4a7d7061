-- Two facts of the network profile the related laws read (decision 0204): whether the
-- operator handles important data (数据安全法 第二十一条) and how many people's personal
-- information it handles (网络数据安全管理条例 第二十八条: 1000万人以上).
ALTER TABLE networks ADD COLUMN important_data BIGINT NOT NULL DEFAULT 0;
ALTER TABLE networks ADD COLUMN personal_info_people BIGINT;
