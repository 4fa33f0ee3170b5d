-- Run once by the postgres image on an empty volume: the gpu profile's service keeps its metadata apart, because
-- its Lucene index is its own too.
CREATE DATABASE hanul_gpu OWNER hanul;
